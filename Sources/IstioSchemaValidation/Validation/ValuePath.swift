/// The location of a value inside the object being validated, built while walking it.
///
/// The apiserver prints locations in two dialects and both are needed to reproduce its messages:
/// apimachinery's `field.Path` (`spec.ports[http]` for map keys) and kube-openapi's path string
/// (`spec.ports.http`).
indirect enum ValuePath: Sendable {
    case root
    case property(ValuePath, String)
    case index(ValuePath, Int)
    case key(ValuePath, String)

    func property(_ name: String) -> ValuePath { .property(self, name) }
    func index(_ position: Int) -> ValuePath { .index(self, position) }
    func key(_ name: String) -> ValuePath { .key(self, name) }

    var isRoot: Bool {
        if case .root = self { return true }
        return false
    }

    /// apimachinery `field.Path.String()`; the root (a nil path in Go) prints as `<nil>`.
    var fieldPath: String {
        if isRoot { return "<nil>" }
        var output = ""
        render(into: &output, keysAsSubscripts: true)
        return output
    }

    /// kube-openapi's path string: properties and map keys joined with `.`, indexes as `[i]`; the root is empty.
    var openAPIPath: String {
        var output = ""
        render(into: &output, keysAsSubscripts: false)
        return output
    }

    private func render(into output: inout String, keysAsSubscripts: Bool) {
        switch self {
        case .root:
            return
        case .property(let parent, let name):
            parent.render(into: &output, keysAsSubscripts: keysAsSubscripts)
            if !parent.isRoot { output += "." }
            output += name
        case .index(let parent, let position):
            parent.render(into: &output, keysAsSubscripts: keysAsSubscripts)
            output += "[\(position)]"
        case .key(let parent, let name):
            parent.render(into: &output, keysAsSubscripts: keysAsSubscripts)
            if keysAsSubscripts {
                output += "[\(name)]"
            } else {
                if !parent.isRoot { output += "." }
                output += name
            }
        }
    }
}
