import Foundation
import XCTest
@testable import RPTTransport
import RPTPhysics

/// The compact per-worker accumulator and the shared tally against a direct history-by-history computation.
final class SharedTallyTests: XCTestCase {
    /// Random deposits over many histories and a few batches, with a table far too small at first (so that it
    /// grows in the middle of histories): the shared sums equal Σq and Σ round(q²·2⁻³²) computed directly.
    func testAccumulatorMatchesDirectSums() throws {
        try checkAgainstDirectSums(firstRegionSlot: nil)
    }

    /// The same with the last 10 slots declared scored regions (a dense array in the accumulator, no hashing), a
    /// fifth of the deposits going to them (several per history in the same region, as a region voxel's deposits do).
    func testRegionSlotsMatchDirectSums() throws {
        try checkAgainstDirectSums(firstRegionSlot: 4_990)
    }

    func checkAgainstDirectSums(firstRegionSlot: Int?) throws {
        let slots = 5_000
        let shared = SharedTally(slotCount: slots, firstRegionSlot: firstRegionSlot)
        var tally = EnergyTally(shared: shared, initialCapacity: 16)
        var expectedSum = [UInt64](repeating: 0, count: slots), expectedSquares = expectedSum
        var rng = SystemRandomNumberGenerator()
        for batch in 0..<3 {
            for h in 0..<200 {
                tally.beginHistory(UInt64(batch * 200 + h))
                var perHistory: [Int: Double] = [:]
                for _ in 0..<Int.random(in: 0...400, using: &rng) {
                    let toRegion = firstRegionSlot != nil && Int.random(in: 0..<5, using: &rng) == 0
                    let v = toRegion ? Int.random(in: firstRegionSlot!..<slots, using: &rng) : Int.random(in: 0..<slots, using: &rng)
                    let e = Double.random(in: 0..<0.2, using: &rng)
                    tally.deposit(e, voxel: v)
                    perHistory[v, default: 0] += e
                }
                tally.endHistory()
                for (v, _) in perHistory {
                    // The accumulator sums a history's deposits in a slot in deposit order, as the dictionary did.
                    let q = UInt64(perHistory[v]! * 0x1p32 + 0.5)
                    expectedSum[v] += q
                    let exact = UInt128(q) * UInt128(q)
                    expectedSquares[v] += UInt64((exact + (1 << 32) - 1) >> 32)  // rounded up
                }
            }
            tally.flush()
        }
        let sums = try shared.sums(histories: 600)
        XCTAssertEqual(sums.sum, expectedSum)
        XCTAssertEqual(sums.sumSquares, expectedSquares)
        XCTAssertGreaterThan(tally.capacity, 16, "the table grew")
    }

    /// The squared quanta round up (a non-zero deposit never has a zero square), with exact integer arithmetic.
    func testSquareQuantaRounding() {
        XCTAssertEqual(EnergyTally.squareQuanta(0).value, 0)
        XCTAssertEqual(EnergyTally.squareQuanta(1).value, 1)                  // 2⁻³² → 1
        XCTAssertEqual(EnergyTally.squareQuanta(1 << 16).value, 1)            // (2¹⁶)²·2⁻³² = 1 exactly
        XCTAssertEqual(EnergyTally.squareQuanta((1 << 16) + 1).value, 2)      // 1.00003 → 2
        XCTAssertEqual(EnergyTally.squareQuanta(1 << 32).value, 1 << 32)     // 1 MeV² = 2³² quanta
        XCTAssertFalse(EnergyTally.squareQuanta((1 << 48) - 1).overflow)
        XCTAssertTrue(EnergyTally.squareQuanta(1 << 48).overflow)
    }

    /// A sum beyond 64 bits is reported, not wrapped.
    func testOverflowIsReported() throws {
        let shared = SharedTally(slotCount: 2)
        shared.add(slot: 1, sum: UInt64.max - 1, squares: 0)
        XCTAssertFalse(shared.overflowed)
        shared.add(slot: 1, sum: 2, squares: 0)
        XCTAssertTrue(shared.overflowed)
        XCTAssertThrowsError(try shared.sums(histories: 2))
        var a = TallySums(voxelCount: 1), b = TallySums(voxelCount: 1)
        a.sum[0] = .max; b.sum[0] = 1
        XCTAssertThrowsError(try a.add(b))
    }

    /// The tally memory is 16 bytes per slot whatever the number of threads: the result of a run does not depend
    /// on the threads, and the workers' accumulators hold only what a batch touched.
    func testWorkerAccumulatorsAreSmall() throws {
        let world = try cubeWorld(MaterialLibrary.water, n: 64, voxelMM: 2)
        let sim = try PreparedSimulation(world: world, source: .point(.zero), emitter: .monoenergetic(.electron, energyMeV: 0.2),
                                         settings: TransportSettings(), seed: 3)
        let pool = TallyPool(workers: 2, slotCount: sim.tallySlots)
        _ = ParallelRunner.run(kernel: sim.kernel, seed: 3, histories: 0..<2_000, batchSize: 500, pool: pool)
        for w in pool.workers {
            XCTAssertLessThanOrEqual(w.state.tally.capacity, 1 << 15, "accumulator sized by touched voxels, not the grid")
            XCTAssertLessThan(w.state.tally.capacity, sim.tallySlots / 8)
            XCTAssertEqual(w.state.tally.occupiedCount, 0, "flushed at the end of every batch")
        }
    }
}
