/// Exact, deterministic search for the activities of the remaining planned cycles.
///
/// Activities are integer multiples n·step of the rounding step, so "rounded down" holds by
/// construction. Each cycle may take n = 0 (not given) or any n in [nMin, nMax]. The search
/// enumerates every combination of the first R − 1 cycles (pruned: every constrained quantity
/// grows with n, so a prefix that already exceeds a budget ends its loop) and, for each, takes the
/// largest feasible level of the last cycle by bisection (the objective never decreases with n).
/// It is therefore exact on the grid. Candidates are ranked by
///   1. predicted tumour objective (sum over lesions, or minimum lesion), larger first;
///   2. total activity (steps), larger first;
///   3. cumulative kidney BED, smaller first (this picks the most even split among ties);
///   4. earlier cycles larger (lexicographic), for determinism.
struct ActivitySearch {
    /// Per-cycle terms in the planning basis (quantile-scaled in quantile mode).
    struct CycleTerms {
        /// Allowed levels in steps, ascending: 0 then nMin…nMax (just 0 when nMin > nMax).
        var levels: [Int]
        /// Kidney absorbed dose per step (Gy).
        var kidneyGyPerStep: Double
        /// BED quadratic coefficient g = λ/((μ+λ)·α/β) (1/Gy).
        var bedCoefficient: Double
        /// Marrow absorbed dose per step (Gy).
        var marrowGyPerStep: Double
        /// Tumour absorbed dose per step per lesion (Gy, nominal).
        var tumourGyPerStep: [Double]

        init(nMin: Int, nMax: Int, kidneyGyPerStep: Double, bedCoefficient: Double, marrowGyPerStep: Double,
             tumourGyPerStep: [Double]) {
            levels = [0] + (max(nMin, 1) <= nMax ? Array(max(nMin, 1)...nMax) : [])
            self.kidneyGyPerStep = kidneyGyPerStep
            self.bedCoefficient = bedCoefficient
            self.marrowGyPerStep = marrowGyPerStep
            self.tumourGyPerStep = tumourGyPerStep
        }

        func kidney(_ n: Int) -> Double { Double(n) * kidneyGyPerStep }
        func bed(_ n: Int) -> Double { let d = kidney(n); return d + bedCoefficient * d * d }
        func marrow(_ n: Int) -> Double { Double(n) * marrowGyPerStep }
    }

    var cycles: [CycleTerms]
    /// Room left under each limit after given and fixed cycles (Gy; clamped at 0).
    var kidneyBudgetGy: Double
    var bedBudgetGy: Double
    var marrowBudgetGy: Double
    /// Tumour dose already delivered or committed per lesion (Gy).
    var committedTumourGy: [Double]
    var objective: TumourObjective
    /// Lesion target (tailored planning): once the `targetPercentile`-th percentile of the cumulative lesion
    /// doses reaches `targetDoseGy`, candidates that reach it rank first, by least escalation above `baseLevel`
    /// (steps), then by the most activity up to `baseLevel` per cycle. nil: no target.
    var targetDoseGy: Double? = nil
    var targetPercentile: Double = 0
    var baseLevel: Int = 0

    /// Absolute tolerance (Gy) when comparing a cumulative quantity with its limit.
    static let toleranceGy = 1e-9

    /// Objective value of the levels in `levels` (no allocation: sums per lesion on the fly).
    private func objectiveValue(_ levels: [Int], committedSum: Double, sumPerStep: [Double]) -> Double {
        let lesions = committedTumourGy.count
        if lesions == 0 { return 0 }
        switch objective {
        case .sumOfLesions:
            var total = committedSum
            for j in 0..<cycles.count { total += Double(levels[j]) * sumPerStep[j] }
            return total
        case .minimumLesion:
            var lowest = Double.infinity
            for l in 0..<lesions {
                var t = committedTumourGy[l]
                for j in 0..<cycles.count { t += Double(levels[j]) * cycles[j].tumourGyPerStep[l] }
                lowest = min(lowest, t)
            }
            return lowest
        }
    }

    /// A candidate's ranking data.
    struct Score {
        /// The lesion target is reached (always false without a target).
        var reached: Bool
        var objective: Double
        var steps: Int
        /// Σ max(0, n − baseLevel) and Σ min(n, baseLevel) (used when the target is reached).
        var escalation: Int
        var baseFill: Int
        var bed: Double
        var levels: [Int]
    }

    /// True when candidate a ranks above b: a reached target first; among those least escalation, then most
    /// activity up to the base level; otherwise larger objective, then more activity; then smaller BED; then
    /// earlier cycles larger.
    static func ranksAbove(_ a: Score, _ b: Score) -> Bool {
        if a.reached != b.reached { return a.reached }
        if a.reached {
            if a.escalation != b.escalation { return a.escalation < b.escalation }
            if a.baseFill != b.baseFill { return a.baseFill > b.baseFill }
        } else {
            let tol = 1e-12 * max(1, abs(a.objective), abs(b.objective))
            if a.objective > b.objective + tol { return true }
            if a.objective < b.objective - tol { return false }
            if a.steps != b.steps { return a.steps > b.steps }
        }
        let btol = 1e-12 * max(1, abs(a.bed), abs(b.bed))
        if a.bed < b.bed - btol { return true }
        if a.bed > b.bed + btol { return false }
        for (x, y) in zip(a.levels, b.levels) where x != y { return x > y }
        return false
    }

    /// The cumulative lesion doses (Gy) for the given levels.
    func lesionDoses(_ levels: [Int]) -> [Double] {
        committedTumourGy.indices.map { l in
            var t = committedTumourGy[l]
            for j in 0..<cycles.count { t += Double(levels[j]) * cycles[j].tumourGyPerStep[l] }
            return t
        }
    }

    /// Whether the lesion target is reached with the given levels (false without a target or lesions).
    func reachesTarget(_ levels: [Int]) -> Bool {
        guard let target = targetDoseGy, let v = LesionRule.percentile(lesionDoses(levels), targetPercentile) else { return false }
        return v >= target * (1 - 1e-12)
    }

    /// The limits that the given levels would break (empty when feasible).
    func violations(_ levels: [Int]) -> [BindingConstraint] {
        var k = 0.0, b = 0.0, m = 0.0
        for (c, n) in zip(cycles, levels) { k += c.kidney(n); b += c.bed(n); m += c.marrow(n) }
        var v: [BindingConstraint] = []
        if k > max(0, kidneyBudgetGy) + ActivitySearch.toleranceGy { v.append(.kidneyDose) }
        if b > max(0, bedBudgetGy) + ActivitySearch.toleranceGy { v.append(.kidneyBED) }
        if m > max(0, marrowBudgetGy) + ActivitySearch.toleranceGy { v.append(.marrowDose) }
        return v
    }

    /// The optimal levels (steps) of every cycle.
    func solve() -> [Int] {
        guard !cycles.isEmpty else { return [] }
        // Per-level tables (kidney, BED, marrow) so the enumeration only adds numbers.
        let kTable = cycles.map { c in c.levels.map { c.kidney($0) } }
        let bTable = cycles.map { c in c.levels.map { c.bed($0) } }
        let mTable = cycles.map { c in c.levels.map { c.marrow($0) } }
        let kMax = max(0, kidneyBudgetGy) + ActivitySearch.toleranceGy
        let bMax = max(0, bedBudgetGy) + ActivitySearch.toleranceGy
        let mMax = max(0, marrowBudgetGy) + ActivitySearch.toleranceGy
        let last = cycles.count - 1
        let committedSum = committedTumourGy.reduce(0, +)
        let sumPerStep = cycles.map { $0.tumourGyPerStep.reduce(0, +) }
        var prefix = [Int](repeating: 0, count: cycles.count)
        var best: Score? = nil

        func recurse(_ i: Int, _ k: Double, _ b: Double, _ m: Double, _ steps: Int) {
            let levels = cycles[i].levels
            if i == last {
                // Largest feasible level of the last cycle (feasibility is monotone in the level).
                var lo = 0, hi = levels.count - 1
                while lo < hi {
                    let mid = (lo + hi + 1) / 2
                    if k + kTable[i][mid] <= kMax && b + bTable[i][mid] <= bMax && m + mTable[i][mid] <= mMax { lo = mid } else { hi = mid - 1 }
                }
                prefix[i] = levels[lo]
                var reached = false
                if targetDoseGy != nil && reachesTarget(prefix) {
                    // Smallest level that reaches the target (reaching is monotone in the level) …
                    var r0 = 0, r1 = lo
                    while r0 < r1 {
                        let mid = (r0 + r1) / 2
                        prefix[i] = levels[mid]
                        if reachesTarget(prefix) { r1 = mid } else { r0 = mid + 1 }
                    }
                    // … or, when larger, the largest feasible level up to the base level.
                    var upToBase = r0
                    while upToBase < lo && levels[upToBase + 1] <= baseLevel { upToBase += 1 }
                    lo = max(r0, upToBase)
                    prefix[i] = levels[lo]
                    reached = true
                }
                let score = Score(reached: reached, objective: objectiveValue(prefix, committedSum: committedSum, sumPerStep: sumPerStep),
                                  steps: steps + levels[lo],
                                  escalation: prefix.reduce(0) { $0 + max(0, $1 - baseLevel) },
                                  baseFill: prefix.reduce(0) { $0 + min($1, baseLevel) }, bed: b + bTable[i][lo], levels: prefix)
                if best == nil || ActivitySearch.ranksAbove(score, best!) { best = score }
                return
            }
            for v in 0..<levels.count {
                let k2 = k + kTable[i][v], b2 = b + bTable[i][v], m2 = m + mTable[i][v]
                if v > 0 && !(k2 <= kMax && b2 <= bMax && m2 <= mMax) { break }
                prefix[i] = levels[v]
                recurse(i + 1, k2, b2, m2, steps + levels[v])
            }
        }
        recurse(0, 0, 0, 0, 0)
        return best?.levels ?? prefix
    }
}
