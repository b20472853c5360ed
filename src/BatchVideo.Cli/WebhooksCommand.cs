using System.CommandLine;
using BatchVideo.HeyGen;

namespace BatchVideo.Cli;

/// <summary><c>batchvideo webhooks register|list|rotate|delete</c>: HeyGen's webhook endpoints for this account.</summary>
internal static class WebhooksCommand
{
    private const string SecretAdvice =
        "Store it where BatchVideo reads it, never in a committed file:\n"
        + "  dotnet user-secrets --project src/BatchVideo.Cli set HeyGen:WebhookSecret <secret>\n"
        + "  or: export HeyGen__WebhookSecret=<secret>\n"
        + "HeyGen shows it only now; 'batchvideo webhooks rotate <id>' issues a new one (the old one stops working at once).";

    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Configuration file (default ./appsettings.json)." };
        var url = new Option<string>("--url") { Description = "Public HTTPS URL that receives the events.", Required = true };
        url.Validators.Add(result =>
        {
            if (!Uri.TryCreate(result.GetValueOrDefault<string>(), UriKind.Absolute, out var parsed) || parsed.Scheme != Uri.UriSchemeHttps)
            {
                result.AddError("--url must be an absolute https URL (HeyGen requires a public HTTPS address).");
            }
        });
        var events = new Option<string[]>("--events")
        {
            Description = "Event types to receive (default: avatar_video.success avatar_video.fail video_agent.success video_agent.fail).",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => ["avatar_video.success", "avatar_video.fail", "video_agent.success", "video_agent.fail"],
        };
        var sandbox = SandboxSession.Option("Manage the sandbox account's endpoints.");
        var id = new Argument<string>("endpoint-id") { Description = "The endpoint's id, as 'webhooks list' shows it." };

        var register = new Command("register", "Register an endpoint; prints its signing secret once.") { url, events, config, sandbox };
        register.SetAction((parse, ct) => WithClientAsync(parse.GetValue(config), parse.GetValue(sandbox), async client =>
        {
            var endpoint = await client.RegisterWebhookAsync(new Uri(parse.GetRequiredValue(url)), parse.GetValue(events), ct);
            Console.WriteLine($"Registered endpoint {endpoint.EndpointId} for {endpoint.Url} (events: {Events(endpoint)}).");
            PrintSecret(endpoint.Secret);
        }));

        var list = new Command("list", "List the registered endpoints (secrets are never shown).") { config, sandbox };
        list.SetAction((parse, ct) => WithClientAsync(parse.GetValue(config), parse.GetValue(sandbox), async client =>
        {
            var count = 0;
            await foreach (var endpoint in client.ListWebhooksAsync(ct))
            {
                Console.WriteLine($"{endpoint.EndpointId}  {endpoint.Status,-8}  {endpoint.Url}  events: {Events(endpoint)}  created {endpoint.CreatedAt}");
                count++;
            }

            if (count == 0)
            {
                Console.WriteLine("No webhook endpoints are registered.");
            }
        }));

        var rotate = new Command("rotate", "Issue a new signing secret; the old one stops working at once.") { id, config, sandbox };
        rotate.SetAction((parse, ct) => WithClientAsync(parse.GetValue(config), parse.GetValue(sandbox), async client =>
        {
            var rotated = await client.RotateWebhookSecretAsync(parse.GetRequiredValue(id), ct);
            Console.WriteLine($"Rotated the secret of endpoint {rotated.EndpointId}; deliveries are signed with the new one from now on.");
            PrintSecret(rotated.Secret);
        }));

        var delete = new Command("delete", "Delete an endpoint; no more events go to it.") { id, config, sandbox };
        delete.SetAction((parse, ct) => WithClientAsync(parse.GetValue(config), parse.GetValue(sandbox), async client =>
        {
            await client.DeleteWebhookAsync(parse.GetRequiredValue(id), ct);
            Console.WriteLine($"Deleted endpoint {parse.GetRequiredValue(id)}.");
        }));

        return new Command("webhooks", "Manage HeyGen webhook endpoints (signed avatar_video.success / .fail events).")
        {
            register, list, rotate, delete,
        };
    }

    private static string Events(WebhookEndpoint endpoint) =>
        endpoint.Events is { Count: > 0 } names ? string.Join(", ", names) : "all";

    private static void PrintSecret(string? secret)
    {
        // To stdout only, for the operator to copy; never through a logger.
        Console.WriteLine($"Signing secret: {secret}");
        Console.WriteLine(SecretAdvice);
    }

    private static Task<int> WithClientAsync(string? configPath, bool sandbox, Func<HeyGenClient, Task> action) =>
        HeyGenAccess.RunAsync(configPath, sandbox, action);
}
