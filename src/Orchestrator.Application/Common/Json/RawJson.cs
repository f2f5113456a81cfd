using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Application.Common.Json;

/// <summary>
/// A JSON document stored as text and written back byte for byte (owner, options, userdata, details, result).
/// Parsing and re-serialising would reorder nothing but could still re-escape strings or reformat numbers.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public sealed record RawJson(string Text)
{
    public static RawJson? From(string? text) => text is null ? null : new RawJson(text);

    public override string ToString() => Text;
}

/// <summary>Writes <see cref="RawJson"/> as the JSON value it holds; reads any JSON value into one.</summary>
public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new RawJson(document.RootElement.GetRawText());
    }

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Text, skipInputValidation: true);
}
