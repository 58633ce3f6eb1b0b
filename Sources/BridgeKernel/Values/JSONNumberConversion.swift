/// How a JSON number becomes a ``JSONValue``: exactly as Foundation's `JSONDecoder` decodes it through
/// ``JSONValue``'s `Codable` conformance, which tries `Int64` before `Double`. Canonical text and equality depend on
/// the `.int`/`.double` choice, so documents keep their fingerprints whichever path read them.
///
/// - A plain integer (no fraction, no exponent) within `Int64` is `.int`, exactly (the parser's fast path).
/// - Any other number is read as the nearest `Double` (`1e400` is an error, `1e-400` is 0). A whole `Double` that
///   `Int64` holds becomes `.int`: below 2^53 its value (`1.0`, `1e3`, `-0` and `1.0000000000000000001` are all
///   integers); from 2^53 up the decimal text decides (see ``decimalInteger(_:)``). Everything else is `.double`.
enum JSONNumberConversion {
    /// The value of a grammatically valid number token, or `nil` when it overflows a `Double`.
    static func value(of token: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        let double = doubleValue(of: token)
        guard double.isFinite else { return nil }
        if let integer = Int64(exactly: double) {
            // Below 2^53 every whole number is a Double of its own, so the Double is the integer.
            if double.magnitude < 0x1p53 { return .int(integer) }
            if let exact = decimalInteger(token) { return .int(exact) }
        }
        return .double(double)
    }

    /// The correctly rounded `Double` nearest to the token (as `strtod`, which `JSONDecoder` uses).
    static func doubleValue(of token: UnsafeBufferPointer<UInt8>) -> Double {
        if let fast = exactlyComputedDouble(token) { return fast }
        return Double(String(decoding: token, as: UTF8.self)) ?? .nan
    }

    /// Clinger's fast path: a significand of at most 2^53 scaled by at most 10^22 is one correctly rounded
    /// multiplication or division of two exact Doubles. `nil` for anything else.
    private static func exactlyComputedDouble(_ token: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let negative = token[0] == UInt8(ascii: "-")
        if negative { index += 1 }
        var significand: UInt64 = 0
        var digitCount = 0
        var fractionDigits = 0
        var inFraction = false
        while index < token.count {
            let byte = token[index]
            if byte == UInt8(ascii: ".") {
                inFraction = true
            } else if byte &- UInt8(ascii: "0") < 10 {
                // 19 digits always fit a UInt64.
                digitCount += 1
                guard digitCount <= 19 else { return nil }
                significand = significand &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
                if inFraction { fractionDigits += 1 }
            } else {
                break
            }
            index += 1
        }
        var exponent = 0
        if index < token.count {  // at `e` or `E`
            let exponentNegative = skipExponentMarkAndSign(token, at: &index)
            while index < token.count {
                exponent = exponent &* 10 &+ Int(token[index] &- UInt8(ascii: "0"))
                guard exponent <= 1000 else { return nil }
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        exponent -= fractionDigits
        guard significand <= 1 << 53, exponent >= -22, exponent <= 22 else { return nil }
        let magnitude =
            exponent < 0
            ? Double(significand) / powersOfTen[-exponent]
            : Double(significand) * powersOfTen[exponent]
        return negative ? -magnitude : magnitude
    }

    /// Steps over the `e`/`E` at `index` and an optional sign; returns whether the exponent is negative. The
    /// parser has already checked the token's syntax, so a digit follows.
    private static func skipExponentMarkAndSign(_ token: UnsafeBufferPointer<UInt8>, at index: inout Int) -> Bool {
        index += 1
        let sign = token[index]
        guard sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") else { return false }
        index += 1
        return sign == UInt8(ascii: "-")
    }

    /// 10^0 … 10^22, every one exact in a Double.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The `Int64` that `JSONDecoder` reads from a non-plain number whose Double is whole and at least 2^53: it parses
    /// the text as a Foundation `Decimal` (a 128-bit significand, digits beyond it dropped, an exponent in
    /// -128…127, trailing zeros then folded into the exponent) and converts that with truncation toward zero,
    /// provided the significand fits a `UInt64` and the result an `Int64`. So `9007199254740993.0` is
    /// 9007199254740993 (its Double would be …992), `9007199254740993.5` is 9007199254740993 as well, and
    /// `123456789012345678901e-3` is a Double. `nil` means Double.
    ///
    /// Where the Decimal cannot hold the exponent (more than 127 fraction digits, say) `JSONDecoder` stops the
    /// process with a precondition failure; this answers `nil` (Double) instead.
    static func decimalInteger(_ token: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        let negative = token[0] == UInt8(ascii: "-")
        if negative { index += 1 }
        var significand = DecimalSignificand()
        var exponent = 0
        var full = false
        while index < token.count, let digit = digitValue(token[index]) {
            if full || !significand.appendDigit(digit) {
                full = true
                guard exponent < 127 else { return nil }
                exponent += 1
            }
            index += 1
        }
        if index < token.count, token[index] == UInt8(ascii: ".") {
            index += 1
            while index < token.count, let digit = digitValue(token[index]) {
                if !full {
                    if significand.appendDigit(digit) {
                        guard exponent > -128 else { return nil }
                        exponent -= 1
                    } else {
                        full = true
                    }
                }
                index += 1
            }
        }
        if index < token.count {  // at `e` or `E`
            let exponentNegative = skipExponentMarkAndSign(token, at: &index)
            var explicit = 0
            while index < token.count, let digit = digitValue(token[index]) {
                explicit = explicit * 10 + Int(digit)
                guard explicit <= 254 else { return nil }
                index += 1
            }
            exponent += exponentNegative ? -explicit : explicit
            guard exponent >= -128, exponent <= 127 else { return nil }
        }
        guard !significand.isZero else { return 0 }
        while let quotient = significand.exactlyDividedByTen() {
            significand = quotient
            exponent += 1
        }
        // Unfold what does not fit the exponent again (cannot overflow: the digits were there before).
        while exponent > 127 {
            _ = significand.appendDigit(0)
            exponent -= 1
        }
        guard var magnitude = significand.uint64Value else { return nil }
        if exponent < 0 {
            for _ in 0..<(-exponent) { magnitude /= 10 }
        } else {
            for _ in 0..<exponent {
                let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                magnitude = product
            }
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return negative ? -Int64(magnitude) : Int64(magnitude)
    }

    private static func digitValue(_ byte: UInt8) -> UInt8? {
        let value = byte &- UInt8(ascii: "0")
        return value < 10 ? value : nil
    }
}

/// The 128-bit unsigned significand of a Foundation `Decimal`, as two 64-bit halves.
private struct DecimalSignificand {
    private var high: UInt64 = 0
    private var low: UInt64 = 0

    var isZero: Bool { high == 0 && low == 0 }

    /// The value, if it fits a `UInt64`.
    var uint64Value: UInt64? { high == 0 ? low : nil }

    /// `self = self * 10 + digit`, unless that overflows 128 bits (then `false`, unchanged).
    mutating func appendDigit(_ digit: UInt8) -> Bool {
        let lowProduct = low.multipliedFullWidth(by: 10)
        let (highProduct, highOverflow) = high.multipliedReportingOverflow(by: 10)
        var (newHigh, carryOverflow) = highProduct.addingReportingOverflow(lowProduct.high)
        let (newLow, carry) = lowProduct.low.addingReportingOverflow(UInt64(digit))
        var incrementOverflow = false
        if carry { (newHigh, incrementOverflow) = newHigh.addingReportingOverflow(1) }
        guard !highOverflow, !carryOverflow, !incrementOverflow else { return false }
        high = newHigh
        low = newLow
        return true
    }

    /// `self / 10` when the remainder is 0, else `nil`.
    func exactlyDividedByTen() -> DecimalSignificand? {
        let (highQuotient, highRemainder) = high.quotientAndRemainder(dividingBy: 10)
        let (lowQuotient, remainder) = UInt64(10).dividingFullWidth((high: highRemainder, low: low))
        guard remainder == 0 else { return nil }
        var quotient = DecimalSignificand()
        quotient.high = highQuotient
        quotient.low = lowQuotient
        return quotient
    }
}
