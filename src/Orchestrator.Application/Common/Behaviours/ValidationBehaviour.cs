using FluentValidation;
using Mediator;

namespace Orchestrator.Application.Common.Behaviours;

/// <summary>
/// Runs every FluentValidation validator of a message before its handler, so no handler ever sees an
/// invalid query, whoever sends it. Failures surface as <see cref="ValidationException"/>, which the API's
/// one exception filter turns into a 400 <c>validation-error</c> body.
/// </summary>
public sealed class ValidationBehaviour<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private readonly IValidator<TMessage>[] _validators = validators.ToArray();

    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (_validators.Length > 0)
        {
            var failures = new List<FluentValidation.Results.ValidationFailure>();
            foreach (var validator in _validators)
            {
                // A context per validator: a shared one accumulates failures, so each result would repeat the last.
                var result = await validator.ValidateAsync(new ValidationContext<TMessage>(message), cancellationToken);
                failures.AddRange(result.Errors);
            }

            if (failures.Count > 0)
                throw new ValidationException(failures);
        }

        return await next(message, cancellationToken);
    }
}
