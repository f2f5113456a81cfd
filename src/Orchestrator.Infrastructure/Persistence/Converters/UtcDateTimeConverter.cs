using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Orchestrator.Infrastructure.Persistence.Converters;

/// <summary>Stores UTC and reads back values marked UTC, whatever kind the provider returns.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
