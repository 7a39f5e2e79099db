import Foundation

/// The independent PNG decoder of the tests (`pngprobe.py`, Python standard library only), shared by
/// every test target that checks PNG output.
public enum PNGProbe {
    /// Folder of `pngprobe.py`.
    public static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path

    /// Python lines that make `decode(data) -> (width, height, channels, pixels)` available to a script.
    public static var prelude: String {
        "import sys\nsys.path.insert(0, \(String(reflecting: directory)))\nfrom pngprobe import decode\n"
    }
}
