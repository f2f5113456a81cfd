using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Application.Jobs.Common;

namespace Orchestrator.Application;

public static class DependencyInjection
{
    /// <summary>Validators and the request's mapper. Handlers and pipeline behaviours are registered by the Mediator source generator in the host.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddValidatorsFromAssemblyContaining(typeof(DependencyInjection), ServiceLifetime.Singleton);
        services.AddScoped<JobMapper>();
        return services;
    }
}
