using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Orchestrator.Benchmarks -- --filter '*'
// The database is ORCHESTRATOR_BENCH_DB (default artifacts/perf/jobs-100000.db), seeded by tests/Benchmarks/run.sh.
BenchmarkSwitcher.FromAssembly(typeof(Orchestrator.Benchmarks.PageBenchmarks).Assembly).Run(args);
