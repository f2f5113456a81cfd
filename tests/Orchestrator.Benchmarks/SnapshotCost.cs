using System.Diagnostics;

namespace Orchestrator.Benchmarks;

/// <summary>
/// What the request snapshot costs: each scenario's handler on a plain open connection against the same handler
/// after beginning the read transaction and reading the data version, alternating ~25 ms blocks in one process
/// (alternating blocks in one process), reporting the median difference per request and the ratio.
/// </summary>
internal static class SnapshotCost
{
    public static async Task RunAsync(IReadOnlyList<Scenario> scenarios, int pairs)
    {
        Console.WriteLine("| scenario | plain connection | snapshot + version | difference | ratio: median | first quartile | third quartile |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var scenario in scenarios)
        {
            var benchmark = new PageBenchmarks { Scenario = scenario };
            benchmark.Setup();
            var calls = await Calibrate(benchmark);
            var plain = new List<double>();
            var snapshot = new List<double>();
            var ratios = new List<double>();
            for (var pair = 0; pair < pairs; pair++)
            {
                var first = pair % 2 == 0;
                var a = await Time(benchmark, calls, withSnapshot: !first);
                var b = await Time(benchmark, calls, withSnapshot: first);
                var (without, with) = first ? (b, a) : (a, b);
                plain.Add(without);
                snapshot.Add(with);
                ratios.Add(with / without);
            }

            Console.WriteLine(
                $"| {scenario} | {Median(plain):F1} µs | {Median(snapshot):F1} µs | " +
                $"{Median(snapshot) - Median(plain):F1} µs | {Median(ratios):F3} | " +
                $"{Quantile(ratios, 0.25):F3} | {Quantile(ratios, 0.75):F3} |");
        }
    }

    private static async Task<int> Calibrate(PageBenchmarks benchmark)
    {
        var watch = Stopwatch.StartNew();
        var calls = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(3) || calls < 3)
        {
            benchmark.WithSnapshot = calls % 2 == 0;
            await benchmark.Handler();
            calls++;
        }

        var each = await Time(benchmark, Math.Max(1, calls / 4), withSnapshot: false);
        return Math.Max(1, (int)(25_000 / each));
    }

    private static async Task<double> Time(PageBenchmarks benchmark, int calls, bool withSnapshot)
    {
        benchmark.WithSnapshot = withSnapshot;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
            await benchmark.Handler();
        return watch.Elapsed.TotalMicroseconds / calls;
    }

    private static double Median(List<double> values) => Quantile(values, 0.5);

    private static double Quantile(List<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = (int)Math.Ceiling(position);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }
}
