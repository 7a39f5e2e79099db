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
            levels = [0] + (nMin <= nMax ? Array(max(nMin, 1)...nMax) : [])
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

    /// Absolute tolerance (Gy) when comparing a cumulative quantity with its limit.
    static let toleranceGy = 1e-9

    private struct Candidate {
        var levels: [Int]
        var objective: Double
        var totalSteps: Int
        var bed: Double
    }

    private func isBetter(_ a: Candidate, than b: Candidate) -> Bool {
        let tol = 1e-12 * max(1, abs(a.objective), abs(b.objective))
        if a.objective > b.objective + tol { return true }
        if a.objective < b.objective - tol { return false }
        if a.totalSteps != b.totalSteps { return a.totalSteps > b.totalSteps }
        let btol = 1e-12 * max(1, abs(a.bed), abs(b.bed))
        if a.bed < b.bed - btol { return true }
        if a.bed > b.bed + btol { return false }
        for (x, y) in zip(a.levels, b.levels) where x != y { return x > y }
        return false
    }

    private func objectiveValue(_ tumour: [Double]) -> Double {
        if tumour.isEmpty { return 0 }
        switch objective {
        case .sumOfLesions: return tumour.reduce(0, +)
        case .minimumLesion: return tumour.min()!
        }
    }

    /// Whether adding (kidney, bed, marrow) to running totals stays within the budgets.
    private func fits(_ k: Double, _ b: Double, _ m: Double) -> Bool {
        k <= max(0, kidneyBudgetGy) + ActivitySearch.toleranceGy
            && b <= max(0, bedBudgetGy) + ActivitySearch.toleranceGy
            && m <= max(0, marrowBudgetGy) + ActivitySearch.toleranceGy
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
        var best: Candidate? = nil
        var prefix = [Int](repeating: 0, count: cycles.count)

        func recurse(_ i: Int, _ k: Double, _ b: Double, _ m: Double, _ steps: Int) {
            let c = cycles[i]
            if i == cycles.count - 1 {
                // Largest feasible level of the last cycle (feasibility is monotone in the level).
                var lo = 0, hi = c.levels.count - 1
                while lo < hi {
                    let mid = (lo + hi + 1) / 2
                    let n = c.levels[mid]
                    if fits(k + c.kidney(n), b + c.bed(n), m + c.marrow(n)) { lo = mid } else { hi = mid - 1 }
                }
                let n = c.levels[lo]
                prefix[i] = n
                var t = committedTumourGy
                for (j, cj) in cycles.enumerated() {
                    for l in t.indices { t[l] += Double(prefix[j]) * cj.tumourGyPerStep[l] }
                }
                let cand = Candidate(levels: prefix, objective: objectiveValue(t), totalSteps: steps + n, bed: b + c.bed(n))
                if best == nil || isBetter(cand, than: best!) { best = cand }
                return
            }
            for n in c.levels {
                let k2 = k + c.kidney(n), b2 = b + c.bed(n), m2 = m + c.marrow(n)
                if n > 0 && !fits(k2, b2, m2) { break }
                prefix[i] = n
                recurse(i + 1, k2, b2, m2, steps + n)
            }
        }
        recurse(0, 0, 0, 0, 0)
        return best!.levels
    }
}
