import Dispatch
import Foundation

/// While a command writes a file under a temporary name, Ctrl-C (SIGINT) or a kill (SIGTERM) removes that
/// file before the process ends, says so on standard error, and exits with 128 + the signal — instead of
/// leaving a hidden half-written file beside the output. `end()` puts the default handlers back.
final class InterruptCleanup {
    private let sources: [DispatchSourceSignal]

    init(removing path: String, saying message: String) {
        sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)   // delivered to the source below instead
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                unlink(path)
                FileHandle.standardError.write(Data("\(message)\n".utf8))
                exit(128 + signalNumber)
            }
            source.resume()
            return source
        }
    }

    func end() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
