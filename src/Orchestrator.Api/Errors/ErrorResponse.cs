using System.Text.Json.Serialization;

namespace Orchestrator.Api.Errors;

/// <summary>The body of every 4xx and 5xx answer: <c>{ "kind", "msg", "details" }</c>.</summary>
public sealed record ErrorResponse(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("details")] IReadOnlyDictionary<string, string> Details);
