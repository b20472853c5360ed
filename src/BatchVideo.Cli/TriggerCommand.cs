using System.CommandLine;
using BatchVideo.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace BatchVideo.Cli;

/// <summary>
/// <c>batchvideo trigger &lt;campaign&gt;</c>: asks the running scheduler to run a campaign now. With a
/// database job store the request goes through the store, so whichever node is free takes it; with the
/// in-memory store it goes to <c>serve</c> over HTTP.
/// </summary>
internal static class TriggerCommand
{
    public static Command Create()
    {
        var campaign = new Argument<string>("campaign") { Description = "The table campaign to run now." };
        var config = new Option<string?>("--config") { Description = "Configuration file (default ./appsettings.json)." };
        var url = new Option<string?>("--url") { Description = "serve's address, for the in-memory job store (default Serve:Urls)." };
        var command = new Command("trigger", "Ask the running scheduler (batchvideo serve) to run a campaign now.") { campaign, config, url };
        command.SetAction(async (parse, ct) =>
        {
            var (configuration, _) = CliConfiguration.Load(parse.GetValue(config), new Dictionary<string, string?>());
            var name = parse.GetRequiredValue(campaign);
            var scheduling = configuration.GetSection(ServeOptions.Section).Get<ServeOptions>() ?? new ServeOptions();
            if (!scheduling.IsPersistent)
            {
                var serve = parse.GetValue(url) ?? configuration["Serve:Urls"] ?? "http://127.0.0.1:5080";
                using var http = new HttpClient { BaseAddress = new Uri(serve.Split(';')[0].TrimEnd('/') + "/") };
                if (configuration[ServeAccess.TokenKey] is { Length: > 0 } token)
                {
                    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                }

                HttpResponseMessage response;
                try
                {
                    response = await http.PostAsync(new Uri($"campaigns/{Uri.EscapeDataString(name)}/trigger", UriKind.Relative), null, ct);
                }
                catch (HttpRequestException e)
                {
                    Console.Error.WriteLine($"error: serve at {serve} cannot be reached ({e.Message.TrimEnd('.')}): is 'batchvideo serve' running there? Pass its address with --url.");
                    return ExitCodes.Usage;
                }

                using var answer = response;
                Console.WriteLine(response.IsSuccessStatusCode
                    ? $"Triggered {name} on {serve}."
                    : $"serve at {serve} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
                return response.IsSuccessStatusCode ? ExitCodes.Success : ExitCodes.Usage;
            }

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Services.AddBatchVideoScheduling(configuration, runJobs: false);
            using var host = builder.Build();
            var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
            if (await scheduler.GetJobDetail(CampaignJob.KeyFor(name), ct) is null)
            {
                Console.Error.WriteLine($"error: the job store has no campaign {name}: is it a table campaign, and has serve started once with it?");
                return ExitCodes.Usage;
            }

            await scheduler.TriggerJob(CampaignJob.KeyFor(name), null!, ct);
            Console.WriteLine($"Triggered {name}: the first free node of cluster '{scheduling.InstanceName}' runs it.");
            return ExitCodes.Success;
        });
        return command;
    }
}
