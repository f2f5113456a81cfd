using System.Globalization;
using System.Text.RegularExpressions;

namespace Orchestrator.Application.Common.Json;

/// <summary>
/// The timestamps this API accepts, in query parameters and in imported files alike: ISO-8601 date and time
/// with seconds, an optional fraction, and <c>Z</c> or an offset; normalised to UTC.
/// </summary>
public static partial class IsoTimestamp
{
    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    /// <summary>A timestamp without an offset is taken to be UTC already.</summary>
    public static bool TryParse(string text, out DateTime utc)
    {
        utc = default;
        var match = Shape().Match(text);
        if (!match.Success)
            return false;

        // DateTimeOffset accepts at most seven fractional digits (100 ns ticks); finer digits cannot be stored.
        var fraction = match.Groups[2].Success ? "." + match.Groups[2].Value[..Math.Min(7, match.Groups[2].Value.Length)] : "";
        var offset = match.Groups[3].Success ? match.Groups[3].Value : "Z";
        var normalized = match.Groups[1].Value + fraction + offset;
        if (!DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            return false;
        utc = parsed.UtcDateTime;
        return true;
    }
}
