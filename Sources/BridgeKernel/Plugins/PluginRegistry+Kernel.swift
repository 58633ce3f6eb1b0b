extension PluginRegistry {
    /// Registers the transforms that live in the kernel: `filter` and `relabel`.
    public mutating func registerKernelTransforms() {
        registerTransform(type: "filter", keys: ServiceFilter.configKeys) { _, config, _ in
            ServiceFilter.decode(config)
        }
        registerTransform(type: "relabel", keys: MetadataRelabel.configKeys) { _, config, _ in
            MetadataRelabel.decode(config)
        }
    }
}
