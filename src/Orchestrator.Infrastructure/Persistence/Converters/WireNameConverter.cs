using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Orchestrator.Domain.Common;

namespace Orchestrator.Infrastructure.Persistence.Converters;

/// <summary>Stores an enum as its wire name (<c>plan_task</c>), the orchestrator's own spelling.</summary>
public sealed class WireNameConverter<TEnum>() : ValueConverter<TEnum, string>(
    v => WireName<TEnum>.Of(v),
    v => Parse(v))
    where TEnum : struct, Enum
{
    private static TEnum Parse(string text) =>
        WireName<TEnum>.TryParse(text, out var value)
            ? value
            : throw new InvalidOperationException($"'{text}' is not a stored {typeof(TEnum).Name}.");
}
