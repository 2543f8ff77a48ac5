import CXLSXWriter

/// An RGB colour (0xRRGGBB).
public struct Color: Hashable, Sendable {
    public var rgb: UInt32
    public init(rgb: UInt32) { self.rgb = rgb & 0xFF_FFFF }
    public static let black = Color(rgb: 0x000000)
    public static let white = Color(rgb: 0xFFFFFF)
    public static let red = Color(rgb: 0xFF0000)
    public static let lightGray = Color(rgb: 0xD9D9D9)
    public static let lightYellow = Color(rgb: 0xFFF2CC)
    public static let lightBlue = Color(rgb: 0xDDEBF7)

    /// libxlsxwriter treats 0 as "unset"; its black is 0x1000000.
    var lxw: lxw_color_t { rgb == 0 ? lxw_color_t(LXW_COLOR_BLACK.rawValue) : lxw_color_t(rgb) }
}

public enum HorizontalAlignment: Hashable, Sendable { case left, center, right, fill, justify, centerAcross, distributed }
public enum VerticalAlignment: Hashable, Sendable { case top, center, bottom, justify, distributed }
public enum BorderStyle: Hashable, Sendable { case thin, medium, thick, dashed, dotted, double, hair }

/// A description of a cell style. Value type: build it, then turn it into a `Format` with
/// `Workbook.format(_:)` (equal descriptions share one libxlsxwriter format).
///
/// The font defaults to the workbook default (Calibri 11); Excel and LibreOffice fall back to a CJK font
/// for Chinese text, so no font is needed for Chinese. `locked` only matters on a protected sheet:
/// set `locked: false` for input cells.
public struct CellFormat: Hashable, Sendable {
    public var bold: Bool
    public var italic: Bool
    public var fontName: String?
    public var fontSize: Double?
    public var fontColor: Color?
    /// An Excel number format such as `"0.00"`, `"0"`, `"0.0%"`, `"yyyy-mm-dd"`, or `"@"` (text).
    public var numberFormat: String?
    public var horizontalAlignment: HorizontalAlignment?
    public var verticalAlignment: VerticalAlignment?
    public var wrapText: Bool
    public var backgroundColor: Color?
    public var border: BorderStyle?
    public var borderColor: Color?
    public var locked: Bool

    public init(bold: Bool = false, italic: Bool = false, fontName: String? = nil, fontSize: Double? = nil,
                fontColor: Color? = nil, numberFormat: String? = nil,
                horizontalAlignment: HorizontalAlignment? = nil, verticalAlignment: VerticalAlignment? = nil,
                wrapText: Bool = false, backgroundColor: Color? = nil, border: BorderStyle? = nil,
                borderColor: Color? = nil, locked: Bool = true) {
        self.bold = bold; self.italic = italic; self.fontName = fontName; self.fontSize = fontSize
        self.fontColor = fontColor; self.numberFormat = numberFormat
        self.horizontalAlignment = horizontalAlignment; self.verticalAlignment = verticalAlignment
        self.wrapText = wrapText; self.backgroundColor = backgroundColor; self.border = border
        self.borderColor = borderColor; self.locked = locked
    }

    /// Number format with a fixed count of decimals: `decimals(2)` is `"0.00"`, `decimals(0)` is `"0"`.
    public static func decimals(_ n: Int) -> String { n <= 0 ? "0" : "0." + String(repeating: "0", count: n) }

    func apply(to f: UnsafeMutablePointer<lxw_format>, arena: CArena) throws {
        if bold { format_set_bold(f) }
        if italic { format_set_italic(f) }
        if let fontName { format_set_font_name(f, try arena.string(fontName, what: "font name")) }
        if let fontSize {
            guard fontSize > 0, fontSize < 410 else { throw WorkbookError.invalidArgument("font size \(fontSize)") }
            format_set_font_size(f, fontSize)
        }
        if let fontColor { format_set_font_color(f, fontColor.lxw) }
        if let numberFormat { format_set_num_format(f, try arena.string(numberFormat, what: "number format")) }
        if let h = horizontalAlignment {
            let v: UInt32
            switch h {
            case .left: v = LXW_ALIGN_LEFT.rawValue
            case .center: v = LXW_ALIGN_CENTER.rawValue
            case .right: v = LXW_ALIGN_RIGHT.rawValue
            case .fill: v = LXW_ALIGN_FILL.rawValue
            case .justify: v = LXW_ALIGN_JUSTIFY.rawValue
            case .centerAcross: v = LXW_ALIGN_CENTER_ACROSS.rawValue
            case .distributed: v = LXW_ALIGN_DISTRIBUTED.rawValue
            }
            format_set_align(f, UInt8(v))
        }
        if let vAlign = verticalAlignment {
            let v: UInt32
            switch vAlign {
            case .top: v = LXW_ALIGN_VERTICAL_TOP.rawValue
            case .center: v = LXW_ALIGN_VERTICAL_CENTER.rawValue
            case .bottom: v = LXW_ALIGN_VERTICAL_BOTTOM.rawValue
            case .justify: v = LXW_ALIGN_VERTICAL_JUSTIFY.rawValue
            case .distributed: v = LXW_ALIGN_VERTICAL_DISTRIBUTED.rawValue
            }
            format_set_align(f, UInt8(v))
        }
        if wrapText { format_set_text_wrap(f) }
        if let backgroundColor {
            format_set_pattern(f, UInt8(LXW_PATTERN_SOLID.rawValue))
            format_set_bg_color(f, backgroundColor.lxw)
        }
        if let border {
            let v: UInt32
            switch border {
            case .thin: v = LXW_BORDER_THIN.rawValue
            case .medium: v = LXW_BORDER_MEDIUM.rawValue
            case .thick: v = LXW_BORDER_THICK.rawValue
            case .dashed: v = LXW_BORDER_DASHED.rawValue
            case .dotted: v = LXW_BORDER_DOTTED.rawValue
            case .double: v = LXW_BORDER_DOUBLE.rawValue
            case .hair: v = LXW_BORDER_HAIR.rawValue
            }
            format_set_border(f, UInt8(v))
        }
        if let borderColor { format_set_border_color(f, borderColor.lxw) }
        if !locked { format_set_unlocked(f) }
    }
}

/// A libxlsxwriter format registered in one workbook (from `Workbook.format(_:)`). Valid until the
/// workbook is closed; passing it to a sheet of another workbook throws `.foreignObject`.
public final class Format {
    public let spec: CellFormat
    let pointer: UnsafeMutablePointer<lxw_format>
    let owner: UInt64
    init(spec: CellFormat, pointer: UnsafeMutablePointer<lxw_format>, owner: UInt64) {
        self.spec = spec; self.pointer = pointer; self.owner = owner
    }
}
