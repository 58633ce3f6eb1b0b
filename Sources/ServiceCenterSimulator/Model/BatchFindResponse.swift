/// One half (`services` or `instances`) of a batch-find answer (cari `BatchFindResult`).
struct BatchFindResult: Sendable {
    struct Failure: Sendable {
        var indexes: [Int]
        var error: ServiceCenterAPIError
    }

    struct Update: Sendable {
        var index: Int
        var revision: String
        var instances: [MicroServiceInstance]
    }

    /// Failures grouped by error code, in order of first occurrence.
    var failed: [Failure] = []
    var notModified: [Int] = []
    var updated: [Update] = []

    mutating func append(index: Int, _ result: InstanceQueryResult) {
        if result.notModified {
            notModified.append(index)
        } else {
            updated.append(Update(index: index, revision: result.revision, instances: result.instances ?? []))
        }
    }

    /// Service Center wraps the error once more: the entry's `detail` is the original error's `Error()` text.
    mutating func append(index: Int, failure: ServiceCenterAPIError) {
        if let slot = failed.firstIndex(where: { $0.error.code == failure.code }) {
            failed[slot].indexes.append(index)
        } else {
            failed.append(Failure(indexes: [index], error: ServiceCenterAPIError(failure.code, failure.goErrorText)))
        }
    }
}

/// `BatchFindInstancesResponse`: `{"services":{...},"instances":{...}}`, each half omitted when not asked for.
struct BatchFindResponse: Sendable {
    var services: BatchFindResult?
    var instances: BatchFindResult?
}

extension BatchFindResult: GoJSONEncodable {
    var goJSON: GoJSON {
        var builder = GoJSONObjectBuilder()
        builder.omitEmpty(
            "failed",
            failed.map { failure in
                GoJSON.object([
                    ("indexes", .array(failure.indexes.map { .int(Int64($0)) })), ("error", failure.error.goJSON),
                ])
            }
        )
        builder.omitEmpty("notModified", notModified.map { GoJSON.int(Int64($0)) })
        builder.omitEmpty(
            "updated",
            updated.map { update in
                var entry = GoJSONObjectBuilder()
                entry.always("index", .int(Int64(update.index)))
                entry.always("rev", .string(update.revision))
                entry.omitEmpty("instances", update.instances.map(\.goJSON))
                return entry.object
            }
        )
        return builder.object
    }
}

extension BatchFindResponse: GoJSONEncodable {
    var goJSON: GoJSON {
        var builder = GoJSONObjectBuilder()
        builder.omitNil("services", services?.goJSON)
        builder.omitNil("instances", instances?.goJSON)
        return builder.object
    }
}
