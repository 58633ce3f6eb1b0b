/// Rewrites plain scalars inside YAML flow collections that contain `:` into single-quoted scalars.
///
/// go-yaml v2 (what `kubectl` and Istio's tests use) ends a plain scalar in a flow collection only at `:`
/// followed by white space, so `[1.2.3.4, 001:db8::]` holds the string `001:db8::`. libyaml stops at a `:`
/// followed by a flow indicator and then fails. Quoting such scalars makes libyaml read what go-yaml reads.
/// Only used as a retry after libyaml reported that exact failure.
enum FlowScalarQuoting {
    static func quoteColonScalars(in text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        var flowDepth = 0
        var lastSignificant: Unicode.Scalar? = nil  // last non-blank scalar on the current line (block context)

        func isBlank(_ scalar: Unicode.Scalar?) -> Bool {
            guard let scalar else { return true }
            return scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
        }
        func copyQuoted() {
            let quote = scalars[index]
            output.append(quote)
            index += 1
            while index < scalars.count {
                let scalar = scalars[index]
                output.append(scalar)
                index += 1
                if quote == "\"" && scalar == "\\" && index < scalars.count {
                    output.append(scalars[index])
                    index += 1
                } else if scalar == quote {
                    if quote == "'" && index < scalars.count && scalars[index] == "'" {
                        output.append(scalars[index])
                        index += 1
                    } else {
                        return
                    }
                }
            }
        }
        func copyComment() {
            while index < scalars.count && scalars[index] != "\n" {
                output.append(scalars[index])
                index += 1
            }
        }

        while index < scalars.count {
            let scalar = scalars[index]
            let previous: Unicode.Scalar? = index > 0 ? scalars[index - 1] : nil
            if scalar == "#" && isBlank(previous) {
                copyComment()
                continue
            }
            if flowDepth == 0 {
                switch scalar {
                case "\n":
                    lastSignificant = nil
                case "'", "\"":
                    copyQuoted()
                    lastSignificant = "'"
                    continue
                case "[", "{":
                    if lastSignificant == nil || lastSignificant == ":" || lastSignificant == "-" {
                        flowDepth = 1
                    }
                default:
                    break
                }
                if !isBlank(scalar) { lastSignificant = scalar }
                output.append(scalar)
                index += 1
                continue
            }
            switch scalar {
            case "[", "{":
                flowDepth += 1
            case "]", "}":
                flowDepth -= 1
                if flowDepth == 0 { lastSignificant = scalar }
            case "'", "\"":
                copyQuoted()
                continue
            case ",", ":", "?", " ", "\t", "\n", "\r":
                break
            default:
                var end = index
                while end < scalars.count {
                    let current = scalars[end]
                    if current == "," || current == "[" || current == "]" || current == "{" || current == "}"
                        || current == "\n" || current == "\r"
                    {
                        break
                    }
                    if current == ":" && isBlank(end + 1 < scalars.count ? scalars[end + 1] : nil) { break }
                    if current == "#" && isBlank(scalars[end - 1]) { break }
                    end += 1
                }
                var trimmedEnd = end
                while trimmedEnd > index && isBlank(scalars[trimmedEnd - 1]) { trimmedEnd -= 1 }
                let plain = scalars[index..<trimmedEnd]
                if plain.contains(":") {
                    output.append("'")
                    for character in plain {
                        if character == "'" { output.append("'") }
                        output.append(character)
                    }
                    output.append("'")
                } else {
                    output.append(contentsOf: plain)
                }
                index = trimmedEnd
                continue
            }
            output.append(scalar)
            index += 1
        }
        return String(output)
    }
}
