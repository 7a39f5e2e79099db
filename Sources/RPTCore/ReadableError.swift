import Foundation

/// Turns Foundation's file and JSON errors ("The operation could not be completed. (NSCocoaErrorDomain error
/// 516.)") into `InputError`s that name the file and say what is wrong, for the command line's last resort.
public enum ReadableError {
    public static func translate(_ error: Error) -> Error {
        if error is InputError || error is InputErrors { return error }
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return error }
        let path = (ns.userInfo[NSFilePathErrorKey] as? String)
            ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path ?? "(file)"
        var posix: String?
        if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
            posix = String(cString: strerror(Int32(u.code)))
        } else if ns.domain == NSPOSIXErrorDomain {
            posix = String(cString: strerror(Int32(ns.code)))
        }
        let reason: String
        switch (ns.domain, ns.code) {
        case (NSCocoaErrorDomain, NSFileWriteFileExistsError): reason = "already exists (and is in the way: a file where a folder is needed, or the reverse)"
        case (NSCocoaErrorDomain, NSFileNoSuchFileError), (NSCocoaErrorDomain, NSFileReadNoSuchFileError): reason = "file not found"
        case (NSCocoaErrorDomain, NSFileReadNoPermissionError), (NSCocoaErrorDomain, NSFileWriteNoPermissionError): reason = "permission denied"
        case (NSCocoaErrorDomain, NSFileWriteOutOfSpaceError): reason = "the disk is full"
        case (NSCocoaErrorDomain, NSPropertyListReadCorruptError), (NSCocoaErrorDomain, 3840):
            reason = "not valid JSON" + ((ns.userInfo[NSDebugDescriptionErrorKey] as? String).map { ": " + $0 } ?? "")
        default: reason = posix ?? ns.localizedDescription
        }
        return InputError(source: path, reason: posix.map { reason == $0 ? reason : reason + " (" + $0 + ")" } ?? reason)
    }
}
