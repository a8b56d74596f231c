// make bench: every suite prints its figures with a baseline measured in the same run.
// `monitord-bench bus cache` runs the named suites only (bus, cache, log, alert).
let requested = Set(CommandLine.arguments.dropFirst())
func wants(_ suite: String) -> Bool { requested.isEmpty || requested.contains(suite) }

#if DEBUG
print("warning: a debug build; run `make bench` (release) for real figures")
#endif

if wants("bus") { await BusBench.run() }
if wants("cache") { try await CacheBench.run() }
if wants("log") { try await LogBench.run() }
if wants("alert") { try await AlertBench.run() }
