import BridgeKernel
import Foundation

/// Just enough of the Kubernetes protobuf encoding (`application/vnd.kubernetes.protobuf`) to read the request
/// bodies kubectl sends for built-in types with its typed clients (`kubectl create namespace`): the `k8s\0`
/// envelope (`runtime.Unknown`), `TypeMeta`, and the identifying `ObjectMeta` fields. Anything else in the
/// object is ignored, which is what the simulator's built-in Namespace needs.
enum KubeProtobuf {
    /// The body cannot be read.
    struct DecodingError: Error {
        var message: String
    }

    static let mediaType = "application/vnd.kubernetes.protobuf"
    private static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

    /// The object as JSON (`apiVersion`, `kind`, `metadata{name, generateName, namespace, labels, annotations}`).
    static func decodeObject(_ data: Data) throws(DecodingError) -> JSONValue {
        let bytes = [UInt8](data)
        guard bytes.count >= 4, Array(bytes[0..<4]) == magic else {
            throw DecodingError(message: "provided object is not a protobuf-encoded Kubernetes object")
        }
        var apiVersion = ""
        var kind = ""
        var raw: ArraySlice<UInt8> = []
        for field in try fields(bytes[4...]) {
            switch field.number {
            case 1:
                for typeField in try fields(field.bytes) {
                    if typeField.number == 1 { apiVersion = string(typeField.bytes) }
                    if typeField.number == 2 { kind = string(typeField.bytes) }
                }
            case 2:
                raw = field.bytes
            default:
                break
            }
        }
        var object: [String: JSONValue] = ["apiVersion": .string(apiVersion), "kind": .string(kind)]
        for field in try fields(raw) where field.number == 1 {
            object["metadata"] = try objectMeta(field.bytes)
        }
        return .object(object)
    }

    private static func objectMeta(_ bytes: ArraySlice<UInt8>) throws(DecodingError) -> JSONValue {
        var metadata: [String: JSONValue] = [:]
        var labels: [String: JSONValue] = [:]
        var annotations: [String: JSONValue] = [:]
        for field in try fields(bytes) {
            switch field.number {
            case 1: metadata["name"] = .string(string(field.bytes))
            case 2: metadata["generateName"] = .string(string(field.bytes))
            case 3: metadata["namespace"] = .string(string(field.bytes))
            case 11, 12:
                var key = ""
                var value = ""
                for entry in try fields(field.bytes) {
                    if entry.number == 1 { key = string(entry.bytes) }
                    if entry.number == 2 { value = string(entry.bytes) }
                }
                if field.number == 11 { labels[key] = .string(value) } else { annotations[key] = .string(value) }
            default:
                break
            }
        }
        if !labels.isEmpty { metadata["labels"] = .object(labels) }
        if !annotations.isEmpty { metadata["annotations"] = .object(annotations) }
        return .object(metadata)
    }

    private struct Field {
        var number: Int
        /// Payload of length-delimited fields (empty for others).
        var bytes: ArraySlice<UInt8>
    }

    /// The top-level fields of a message.
    private static func fields(_ bytes: ArraySlice<UInt8>) throws(DecodingError) -> [Field] {
        var result: [Field] = []
        var index = bytes.startIndex
        func varint() throws(DecodingError) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard index < bytes.endIndex, shift < 64 else { throw DecodingError(message: "truncated varint") }
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
        }
        while index < bytes.endIndex {
            let key = try varint()
            let number = Int(key >> 3)
            switch key & 7 {
            case 0:
                _ = try varint()
                result.append(Field(number: number, bytes: []))
            case 1:
                index += 8
                result.append(Field(number: number, bytes: []))
            case 2:
                let length = Int(try varint())
                guard length >= 0, index + length <= bytes.endIndex else {
                    throw DecodingError(message: "truncated length-delimited field \(number)")
                }
                result.append(Field(number: number, bytes: bytes[index..<index + length]))
                index += length
            case 5:
                index += 4
                result.append(Field(number: number, bytes: []))
            default:
                throw DecodingError(message: "unsupported protobuf wire type \(key & 7)")
            }
        }
        guard index == bytes.endIndex else { throw DecodingError(message: "truncated protobuf message") }
        return result
    }

    private static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
