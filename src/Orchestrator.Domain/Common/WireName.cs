using System.Collections.Frozen;
using System.Text.Json;

namespace Orchestrator.Domain.Common;

/// <summary>
/// The orchestrator's own spelling of an enum value (<c>PlanTask</c> is <c>plan_task</c>). Storage, JSON,
/// query-string binding and the OpenAPI document all use this one table, so they cannot drift apart.
/// </summary>
public static class WireName<TEnum>
    where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<TEnum, string> ToWireNames =
        Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

    private static readonly FrozenDictionary<string, TEnum> FromWireNames =
        ToWireNames.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>Every wire name, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } = Enum.GetValues<TEnum>().Select(v => ToWireNames[v]).ToArray();

    public static string Of(TEnum value) => ToWireNames[value];

    /// <summary>Exact, case-sensitive match; numbers and other spellings are not accepted.</summary>
    public static bool TryParse(string? text, out TEnum value)
    {
        if (text is not null && FromWireNames.TryGetValue(text, out value))
            return true;
        value = default;
        return false;
    }
}
