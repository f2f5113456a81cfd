using System.Diagnostics;

namespace Orchestrator.Benchmarks;

/// <summary>
/// The handler against its typed ADO.NET floor, alternating in one process: blocks of floor calls and blocks of
/// handler calls in the order floor, handler, handler, floor, so that a slower stretch of a shared machine lands on
/// both. Each pair of blocks gives a ratio; the median of those is the figure, with the quartiles beside it.
/// BenchmarkDotNet runs each method in its own process minutes apart, which on a noisy 2-core VM moves a ratio by
/// more than the difference being measured.
/// </summary>
internal static class SideBySide
{
    private static readonly TimeSpan Block = TimeSpan.FromMilliseconds(25);

    public static async Task RunAsync(IReadOnlyList<Scenario> scenarios, int pairs)
    {
        // Every scenario is warmed before any is measured: the first one measured would otherwise run while the
        // JIT is still promoting the shared code (EF Core, SQLite) to its optimized tier.
        var benchmarks = new List<(PageBenchmarks Benchmark, int Calls)>();
        foreach (var scenario in scenarios)
        {
            var benchmark = new PageBenchmarks { Scenario = scenario };
            benchmark.Setup();
            benchmarks.Add((benchmark, await Calibrate(benchmark)));
        }

        Console.WriteLine($"| scenario | floor (median of blocks) | handler | ratio: median | first quartile | third quartile | pairs |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (benchmark, calls) in benchmarks)
        {
            var scenario = benchmark.Scenario;

            var floors = new List<double>();
            var handlers = new List<double>();
            var ratios = new List<double>();
            for (var pair = 0; pair < pairs; pair++)
            {
                double floor, handler;
                if (pair % 2 == 0)
                {
                    floor = Time(benchmark, calls);
                    handler = await TimeHandler(benchmark, calls);
                }
                else
                {
                    handler = await TimeHandler(benchmark, calls);
                    floor = Time(benchmark, calls);
                }

                floors.Add(floor);
                handlers.Add(handler);
                ratios.Add(handler / floor);
            }

            Console.WriteLine(
                $"| {scenario} | {Median(floors):F1} µs | {Median(handlers):F1} µs | {Median(ratios):F2} | " +
                $"{Quantile(ratios, 0.25):F2} | {Quantile(ratios, 0.75):F2} | {pairs} × {calls} calls |");
        }
    }

    // Warms both paths for 3 s, then sizes a block to about 25 ms of floor calls.
    private static async Task<int> Calibrate(PageBenchmarks benchmark)
    {
        var watch = Stopwatch.StartNew();
        var calls = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(3) || calls < 3)
        {
            benchmark.AdoNet();
            await benchmark.Handler();
            calls++;
        }

        var each = Time(benchmark, Math.Max(1, calls / 4));
        return Math.Max(1, (int)(Block.TotalMicroseconds / each));
    }

    private static double Time(PageBenchmarks benchmark, int calls)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
            benchmark.AdoNet();
        return watch.Elapsed.TotalMicroseconds / calls;
    }

    private static async Task<double> TimeHandler(PageBenchmarks benchmark, int calls)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
            await benchmark.Handler();
        return watch.Elapsed.TotalMicroseconds / calls;
    }

    internal static double Median(List<double> values) => Quantile(values, 0.5);

    internal static double Quantile(List<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = (int)Math.Ceiling(position);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }
}
