import Foundation

/// The two tail probabilities the advice rests on, computed in log space so that they stay exact
/// for large counts (e^−λ alone underflows past λ ≈ 745).
enum Probability {
    /// P(no success in `trials` independent trials of probability `p`) = (1 − p)^trials.
    static func noSuccess(trials: Int64, p: Double) -> Double {
        guard p > 0 else { return 1 }
        guard p < 1 else { return trials == 0 ? 1 : 0 }
        return exp(Double(trials) * log1p(-p))
    }

    /// P(X ≤ k) for X Poisson with mean `mean`.
    static func poissonAtMost(_ k: Int64, mean: Double) -> Double {
        guard k >= 0 else { return 0 }
        guard mean > 0 else { return 1 }
        // log P(X = i) = −λ + i·log λ − log i!, summed with the largest term factored out.
        let logMean = log(mean)
        var logTerm = -mean
        var terms = [logTerm]
        var largest = logTerm
        var i: Int64 = 1
        while i <= k {
            logTerm += logMean - log(Double(i))
            terms.append(logTerm)
            largest = max(largest, logTerm)
            // Past the mean the terms only shrink; once they are negligible the sum is final.
            if Double(i) > mean, logTerm < largest - 50 { break }
            i += 1
        }
        let sum = terms.reduce(0) { $0 + exp($1 - largest) }
        return min(1, exp(largest) * sum)
    }

    /// P(X ≥ k) for X Poisson with mean `mean`.
    static func poissonAtLeast(_ k: Int64, mean: Double) -> Double {
        k <= 0 ? 1 : max(0, 1 - poissonAtMost(k - 1, mean: mean))
    }
}
