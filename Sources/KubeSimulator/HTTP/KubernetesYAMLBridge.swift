import BridgeKernel
import IstioSchemaValidation

/// YAML request bodies (`application/yaml`, `application/apply-patch+yaml`) read with Kubernetes' YAML rules.
enum KubernetesYAMLBridge {
    static func document(_ text: String) throws -> JSONValue {
        try KubernetesYAML.document(text)
    }
}
