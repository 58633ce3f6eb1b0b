/// The labels that mark an object as the bridge's, so sinks only ever touch objects they own.
public enum OwnershipLabels {
    /// `app.kubernetes.io/managed-by`.
    public static let managedByKey = "app.kubernetes.io/managed-by"
    /// The value of ``managedByKey`` on every object the bridge writes.
    public static let managedByValue = "meshbridge"
    /// The source (plugin instance name) that reported the service.
    public static let sourceKey = "meshbridge.io/source"
    /// The object group (ServiceEntry name); also the WorkloadEntry selector label.
    public static let serviceKey = "meshbridge.io/service"
    /// Annotation with the registry identity of the service (`source:domain/env/app/name`).
    public static let registryServiceAnnotation = "meshbridge.io/registry-service"
    /// Annotation with the registry instance id, verbatim.
    public static let instanceIDAnnotation = "meshbridge.io/instance-id"

    /// The label selector (`key=value`) that lists every object the bridge manages.
    public static var managedSelector: String { "\(managedByKey)=\(managedByValue)" }
}
