import ArgumentParser
import Foundation
import JobPulseComposition
import JobPulseCore

/// The admission rule's one setting, shared by every command that takes events in.
struct AdmissionOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Seconds an event's ts may be ahead of this machine's clock; later events are rejected with the reason (env JOBPULSE_MAX_FUTURE; default 3600).",
            valueName: "seconds"))
    var maxFuture: Int?

    /// The tolerance in milliseconds.
    func futureTolerance() throws -> Int64 {
        let text = JobPulseSettings.process[.maxFuture]
        guard let seconds = maxFuture ?? (text == nil ? Int(Admission.defaultFutureTolerance / 1000) : text.flatMap { Int($0) }),
            (0...31_536_000).contains(seconds)
        else {
            throw ValidationError("--max-future must be a whole number of seconds from 0 to 31536000")
        }
        return Int64(seconds) * 1000
    }
}
