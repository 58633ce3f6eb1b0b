import BridgeKernel
import IstioMapping
import LeaderElection
import SinkFile
import SinkIstio
import SourceServiceCenter
import SourceStatic

/// Every plugin this binary ships, registered by its config `type:` name.
enum BridgePlugins {
    static func registry() -> PluginRegistry {
        var registry = PluginRegistry()
        registry.registerKernelTransforms()
        registry.registerSource(type: "static", keys: StaticSourceConfig.configKeys) { name, config, _ in
            StaticSourceConfig.decode(name: name, config: config)
        }
        registry.registerSource(type: "servicecenter", keys: ServiceCenterSourceSettings.configKeys) {
            name, config, context in
            ServiceCenterSourceSettings.decode(config, context: context).map {
                ServiceCenterSource(name: name, settings: $0, logger: context.logger)
            }
        }
        registry.registerRenderer(keys: IstioRenderSettings.configKeys) { _, config, _ in
            IstioRenderSettings.decode(config).map(IstioRenderer.init(settings:))
        }
        registry.registerSink(type: "file", keys: FileSinkSettings.configKeys) { name, config, context in
            FileSinkSettings.decode(config, context: context).map {
                FileSink(name: name, settings: $0, logger: context.logger)
            }
        }
        registry.registerSink(type: "istio", keys: IstioSinkSettings.configKeys) { name, config, context in
            IstioSinkSettings.decode(config, context: context).map {
                IstioSink(name: name, settings: $0, logger: context.logger)
            }
        }
        registry.registerLeaderElection(keys: LeaseElectionSettings.configKeys) { _, config, context in
            LeaseElectionSettings.decode(config, context: context).map {
                LeaseElector(settings: $0, logger: context.logger)
            }
        }
        return registry
    }
}
