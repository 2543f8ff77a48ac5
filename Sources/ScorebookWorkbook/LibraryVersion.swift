import CXLSXWriter

/// The libxlsxwriter version the binary links (`LXW_VERSION`; pkg-config reports only the soname).
public enum XLSXLibrary {
    public static var version: String { String(cString: lxw_version()) }
}
