import BridgeKernel
import Foundation

extension APIHandler {
    /// `GET …?watch=true`: a stream of `{"type":…,"object":…}` events.
    func watch(_ route: ResourceRoute, _ request: KubeRequest) throws(APIError) -> KubeResponse {
        let (labels, fields) = try selectors(route, request)
        var from: Int64?
        if let requested = request.query["resourceVersion"], !requested.isEmpty, requested != "0" {
            guard let value = Int64(requested) else {
                throw APIError.badRequest(
                    "resourceVersion: Invalid value: \(KubeJSON.quote(requested)): must be a valid resource version")
            }
            from = value
        }
        let timeout = request.query["timeoutSeconds"].flatMap(Int.init).map { Duration.seconds($0) }
        let bookmarks = request.flag("allowWatchBookmarks")
        let (output, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .unbounded)

        let started: (id: Int, signals: AsyncStream<ObjectStore.WatchSignal>)
        do {
            started = try store.watch(
                group: route.resource.group, resource: route.resource.plural, namespace: route.namespace, from: from)
        } catch {
            let status: APIError
            switch error {
            case .tooOld(let requested, let oldest):
                status = .expired("too old resource version: \(requested) (\(oldest))")
            case .tooLarge(let requested, let current):
                status = .status(
                    code: 504, reason: "Timeout",
                    message: "Timeout: Too large resource version: \(requested), current: \(current)",
                    details: [
                        "causes": [["reason": "ResourceVersionTooLarge", "message": "Too large resource version"]],
                        "retryAfterSeconds": 1,
                    ])
            }
            if case .status(let body) = status.body {
                continuation.yield(KubeJSON.typed(["type": "ERROR", "object": body]))
            }
            continuation.finish()
            return .watch(WatchStream(events: output))
        }

        let encoder = WatchEventEncoder(handler: self, route: route, request: request, labels: labels, fields: fields)
        let store = self.store
        let interval = bookmarkInterval
        let task = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await signal in started.signals {
                        if let line = encoder.encode(signal, bookmarks: bookmarks) { continuation.yield(line) }
                    }
                }
                if let timeout {
                    group.addTask { try? await Task.sleep(for: timeout) }
                }
                if bookmarks {
                    group.addTask {
                        while !Task.isCancelled {
                            do { try await Task.sleep(for: interval) } catch { return }
                            store.bookmark(watch: started.id)
                        }
                        // Keeps the group alive until cancelled.
                    }
                }
                await group.next()
                group.cancelAll()
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return .watch(WatchStream(events: output))
    }
}

/// Turns store signals into watch event lines for one watch: version conversion, selector transitions
/// (an object leaving the selection is `DELETED`, one entering it `ADDED`), Tables, bookmarks.
struct WatchEventEncoder: Sendable {
    let handler: APIHandler
    let route: ResourceRoute
    let request: KubeRequest
    let labels: LabelSelector
    let fields: FieldSelector

    func encode(_ signal: ObjectStore.WatchSignal, bookmarks: Bool) -> String? {
        switch signal {
        case .bookmark(let revision):
            guard bookmarks else { return nil }
            let object: JSONValue = [
                "kind": .string(route.resource.kind), "apiVersion": .string(route.apiVersion),
                "metadata": ["resourceVersion": .string(String(revision))],
            ]
            return KubeJSON.typed(["type": "BOOKMARK", "object": object])
        case .change(let event):
            let matchesNow = APIHandler.matches(event.object, labels, fields)
            let matchedBefore = event.previous.map { APIHandler.matches($0, labels, fields) } ?? false
            let type: String
            switch event.kind {
            case .added:
                guard matchesNow else { return nil }
                type = "ADDED"
            case .modified:
                switch (matchedBefore, matchesNow) {
                case (true, true): type = "MODIFIED"
                case (false, true): type = "ADDED"
                case (true, false): type = "DELETED"
                case (false, false): return nil
                }
            case .deleted:
                guard matchesNow else { return nil }
                type = "DELETED"
            }
            let object = handler.present(event.object, route)
            if request.wantsTable {
                let table = TableRenderer.table(
                    [object], resource: route.resource,
                    listMetadata: ["resourceVersion": .string(String(event.revision))],
                    includeObject: request.query["includeObject"], now: handler.now())
                return KubeJSON.typed(["type": .string(type), "object": table])
            }
            let encodedObject = handler.isUnstructured(route) ? object.canonicalJSON : KubeJSON.typed(object)
            return "{\"type\":\"\(type)\",\"object\":\(encodedObject)}"
        }
    }
}
