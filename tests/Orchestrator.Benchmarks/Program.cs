using BenchmarkDotNet.Running;
using Orchestrator.Benchmarks;

// dotnet run -c Release --project tests/Orchestrator.Benchmarks -- --filter '*'
//   BenchmarkDotNet: each scenario's handler, with allocations.
// The database is ORCHESTRATOR_BENCH_DB (default artifacts/perf/jobs-100000.db), seeded by tests/Benchmarks/run.sh.
// dotnet run -c Release --project tests/Orchestrator.Benchmarks -- --snapshot-cost [Scenario,...] [pairs]
//   Each handler with and without the request's read transaction and data-version read (SnapshotCost).
if (args is ["--snapshot-cost", ..])
{
    var scenarios = args.Length > 1 ? args[1].Split(',').Select(Enum.Parse<Scenario>).ToArray() : Enum.GetValues<Scenario>();
    await SnapshotCost.RunAsync(scenarios, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 40);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(PageBenchmarks).Assembly).Run(args);
