import BridgeKernel
import Foundation

/// The simulator's own control API under `/__sim/` (no real apiserver has it), for tests in other processes:
///
/// - `GET /__sim/faults`, `POST /__sim/faults` (a fault as JSON, see ``Fault``), `DELETE /__sim/faults`
/// - `PUT /__sim/partition` with `{"partitioned":true|false}`
/// - `GET /__sim/writes` (the write log), `DELETE /__sim/writes`, `GET /__sim/writes/count` (writes per resource,
///   without the records: a benchmark's million-write log is not worth sending to count it)
/// - `POST /__sim/compact` (drop the watch history), `POST /__sim/bookmarks` (send bookmarks now)
struct AdminEndpoints: Sendable {
    static let prefix = "/__sim/"

    let store: ObjectStore
    let faults: FaultInjector
    let writeLog: WriteLog

    func handle(method: String, path: String, body: Data) -> KubeResponse {
        do {
            return try route(method: method, path: path, body: body)
        } catch {
            return .error(error)
        }
    }

    private func route(method: String, path: String, body: Data) throws(APIError) -> KubeResponse {
        let name = String(path.dropFirst(Self.prefix.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        switch (method, name) {
        case ("GET", "faults"):
            return ok(["faults": .array(faults.faults.map(\.json)), "partitioned": .bool(faults.isPartitioned)])
        case ("POST", "faults"):
            let fault = try Fault(json: try document(body))
            faults.add(fault)
            return .json(code: 201, body: fault.json, unstructured: true)
        case ("DELETE", "faults"):
            faults.clear()
            return ok(["faults": []])
        case ("PUT", "partition"), ("POST", "partition"):
            let partitioned = try document(body)["partitioned"]?.boolValue ?? true
            faults.setPartitioned(partitioned)
            return ok(["partitioned": .bool(partitioned)])
        case ("GET", "writes"):
            return ok(["items": .array(writeLog.all.map(\.json))])
        case ("GET", "writes/count"):
            let records = writeLog.all
            let byResource = Dictionary(grouping: records, by: \.key.resource).mapValues {
                JSONValue.int(Int64($0.count))
            }
            return ok(["total": .int(Int64(records.count)), "byResource": .object(byResource)])
        case ("DELETE", "writes"):
            writeLog.clear()
            return ok(["items": []])
        case ("POST", "compact"):
            store.compactHistory()
            return ok(["compactedRevision": .string(String(store.compactedRevision))])
        case ("POST", "bookmarks"):
            store.bookmark(watch: nil)
            return ok(["resourceVersion": .string(String(store.revision))])
        case (_, "faults"), (_, "partition"), (_, "writes"), (_, "writes/count"), (_, "compact"), (_, "bookmarks"):
            throw APIError.methodNotAllowed
        default:
            throw APIError.pathNotFound
        }
    }

    private func ok(_ body: JSONValue) -> KubeResponse {
        .json(code: 200, body: body, unstructured: true)
    }

    private func document(_ body: Data) throws(APIError) -> JSONValue {
        guard !body.isEmpty else { return [:] }
        do {
            return try JSONValue.parse(body)
        } catch {
            throw APIError.badRequest("the admin request body is not JSON: \(error)")
        }
    }
}
