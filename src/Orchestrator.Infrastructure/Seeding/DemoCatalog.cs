namespace Orchestrator.Infrastructure.Seeding;

/// <summary>The fixed vocabulary demo jobs are drawn from.</summary>
internal static class DemoCatalog
{
    public static readonly (string Id, string Login)[] Owners =
    [
        ("751a8f7e-b53a-4ccd-9f4f-e93db6aa38ec", "brian"),
        ("42bf351c-f9ec-40af-84ad-e976fec7f4bd", "admin"),
        ("a3c1e2d4-5b6f-4a7e-8c9d-0e1f2a3b4c5d", "alice"),
        ("b8e2f1a0-6c4d-4e3b-9a2f-1d0c9b8a7e6f", "bob"),
        ("c0ffee00-1234-4abc-8def-0123456789ab", "carol"),
        ("d15ea5e0-4321-4cba-9fed-ba9876543210", "deploy-bot"),
        ("e7a1b2c3-d4e5-4f60-8172-93a4b5c6d7e8", "dmitri"),
        ("f00dcafe-5678-4def-9abc-def012345678", "fatima"),
        ("0badf00d-9abc-4123-8456-789abcdef012", "giulia"),
        ("12345678-90ab-4cde-8f01-23456789abcd", "hiro"),
    ];

    /// <summary>Names of the environments beyond production, staging and development in large datasets.</summary>
    public static readonly string[] EnvironmentPrefixes = ["feature", "hotfix", "team", "release", "canary", "qa"];

    public static readonly string[] Roles = ["web", "db", "app", "cache", "lb", "worker", "api", "mq", "search", "build"];

    public static readonly string[] DeployDescriptions =
    [
        "deploy the web app", "Roll out the new NTP settings", "Apply security baseline", "Nightly convergence run",
        "Update nginx configuration", "Rotate TLS certificates",
    ];

    public static readonly string[] Applications = ["Wordpress_app", "Shop_app", "Billing_app"];

    public static readonly string[] Tasks =
    [
        "package::status", "package::install", "service::restart", "service::status", "facts", "puppet_conf",
        "exec", "reboot", "apt::update",
    ];

    public static readonly string[] Packages = ["openssl", "nginx", "postgresql", "puppet-agent", "curl", "bash"];

    public static readonly string[] Services = ["nginx", "postgresql", "sshd", "puppet", "redis"];

    public static readonly string[] Plans =
    [
        "deploy_app::rolling", "patching::run", "canary::deploy", "maintenance::restart_services", "facts::info",
    ];

    public static readonly string[] TaskFailures =
    [
        "Invalid task name 'package::status'", "Package 'nginx' is not installed", "Service 'redis' failed to restart",
        "Command exited with status 1",
    ];

    public static readonly string[] ErrorMessages =
    [
        "Running tasks is not supported for agents older than version 5.1.0",
        "Node is not connected to the PCP broker",
        "Timed out waiting for the node to respond",
    ];
}
