// Shared by every fuzz target: each is compiled with Sources/Core and this folder.

/// An invariant; unlike `precondition`, it names what broke in an optimized build too.
func require(_ condition: Bool, _ message: @autoclosure () -> String = "invariant broken", line: Int = #line) {
    if !condition { fatalError("\(message()) (\(#fileID):\(line))") }
}
