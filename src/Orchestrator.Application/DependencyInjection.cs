using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Application;

public static class DependencyInjection
{
    /// <summary>Validators of this assembly. Handlers and pipeline behaviours are registered by the Mediator source generator in the host.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddValidatorsFromAssemblyContaining(typeof(DependencyInjection), ServiceLifetime.Singleton);
        return services;
    }
}
