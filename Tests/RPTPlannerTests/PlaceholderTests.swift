import Testing
import PropertyBased
@testable import RPTPlanner

@Test func placeholder() async {
    await propertyCheck(input: Gen.int(in: 0...100)) { n in #expect(n + n == 2 * n) }
}
