/// The end-to-end tests' configuration: a static registry with the design documents' external database.
enum StaticConfigFixture {
    /// - Parameter extraSinks: More entries for the `sinks:` list, as YAML lines indented for it.
    static func yaml(directory: String, mode: String = "workloadentry", extraSinks: String = "") -> String {
        """
        # MeshBridge end-to-end test configuration
        sources:
          - type: static
            name: registry
            services:
              - name: orders
                app: shop
                environment: production
                instances:
                  - id: b4c9e57f211311e8a831286ed488fc1b
                    hostName: orders-host-1
                    version: 1.0.0
                    endpoints: ["rest://10.0.0.11:8080", "highway://10.0.0.11:7070"]
                    metadata: {nodeIP: one, _TAGS: "A,B"}
                    region: eu
                    zone: eu-1
                  - id: c0ffee00000000000000000000000002
                    hostName: orders-host-2
                    version: 1.1.0
                    endpoints: ["rest://10.0.0.12:8080"]
                  - id: down-instance
                    endpoints: ["rest://10.0.0.13:8080"]
                    status: DOWN
              - name: Payment_Service
                app: shop
                instances:
                  - {id: pay-1, hostName: pay-host, endpoints: ["grpc://[2001:db8::5]:9090"]}
              - name: inventory
                app: warehouse
                instances:
                  - {id: inv-1, endpoints: ["rest://inventory.internal.example.com:8080?sslEnabled=true"]}
              - name: mysql
                app: external
                location: MESH_EXTERNAL
                resolution: DNS
                hosts: [mysql.example.com]
                ports: [{number: 3306, protocol: TCP}]
        transforms:
          - type: relabel
            drop: ["_*"]
        debounce: {quiet: 50ms, maxDelay: 1s}
        render:
          namespace: mesh-registry
          mode: \(mode)
          hosts: ["{service}.{app}.{env}.svc"]
        sinks:
          - type: file
            directory: \(directory)
        \(extraSinks)
        """
    }
}
