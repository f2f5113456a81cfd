using FluentValidation.Results;

namespace Orchestrator.UnitTests.TestSupport;

public static class ValidationAssert
{
    public static void Valid(ValidationResult result) =>
        Assert.That(result.Errors.Select(e => $"{e.PropertyName} {e.ErrorMessage}"), Is.Empty);

    /// <summary>Exactly one failure, on this property, with this message.</summary>
    public static void Invalid(ValidationResult result, string propertyName, string message) =>
        Assert.That(result.Errors.Select(e => (e.PropertyName, e.ErrorMessage)), Is.EqualTo(new[] { (propertyName, message) }));
}
