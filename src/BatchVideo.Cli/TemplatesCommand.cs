using System.CommandLine;
using BatchVideo.Campaigns;
using BatchVideo.Scripts;
using BatchVideo.Sources;
using Microsoft.Extensions.Configuration;

namespace BatchVideo.Cli;

/// <summary>
/// <c>batchvideo templates check</c>: parses a template (syntax errors with file:line:column), lists
/// the variables it reads, and compares them with the columns of a CSV file.
/// </summary>
internal static class TemplatesCommand
{
    private static readonly string[] Provided = ["key", "campaign", "row"];

    public static Command Create()
    {
        var template = new Argument<string>("template") { Description = "The Scriban template file to check." };
        var csv = CommandOptions.Csv(required: false);
        var campaign = CommandOptions.Campaign();
        var config = CommandOptions.Config();
        var check = new Command("check", "Parse a template, list the variables it reads, and compare them with a CSV file's columns.")
        {
            template, csv, campaign, config,
        };
        check.SetAction(parse => CommandOptions.GuardAsync(() => Task.FromResult(Check(
            parse.GetRequiredValue(template),
            parse.GetValue(csv),
            parse.GetValue(campaign),
            parse.GetValue(config)))));
        return new Command("templates", "Work with Scriban templates.") { check };
    }

    private static int Check(string templatePath, string? csv, string? campaignName, string? configPath)
    {
        var (campaign, name) = LoadCampaign(campaignName, configPath);
        if (!File.Exists(templatePath))
        {
            RunConsole.FatalLine($"error: template file '{templatePath}' does not exist.");
            return ExitCodes.Usage;
        }

        ScriptTemplate template;
        try
        {
            template = ScriptTemplate.Load(templatePath);
        }
        catch (TemplateException e)
        {
            Console.WriteLine(e.Message);
            Console.Error.WriteLine("Exit 1: the template does not parse; fix it at the line and column above.");
            return ExitCodes.RowsNeedAttention;
        }

        Console.WriteLine($"{templatePath}: parses without errors");
        var variables = template.Variables.Order(StringComparer.Ordinal).ToList();
        Console.WriteLine($"Variables it reads ({variables.Count}): {List(variables)}");
        if (template.RowColumns.Count > 0)
        {
            Console.WriteLine($"Columns it reads as row[\"…\"] ({template.RowColumns.Count}): {List(template.RowColumns.Order(StringComparer.Ordinal))}");
        }

        if (csv is null)
        {
            Console.WriteLine("No columns to compare with: pass --csv <file> to check them against a CSV export.");
            return ExitCodes.Success;
        }

        var columns = CsvContactSource.ReadColumns(Path.GetFullPath(csv));
        // Each column as a template reads it: the variable is named after the header (First Name → first_name).
        Console.WriteLine($"Columns of {csv} ({columns.Count}): {List(columns.Select(Described))}");
        var renderer = new ScriptRenderer(template, null, columns, campaign?.OptionalColumns ?? [], campaign?.Defaults);
        var missing = renderer.UnknownVariables()
            .Concat(template.RowColumns.Where(c => !columns.Contains(c, StringComparer.Ordinal)).Select(c => $"row[\"{c}\"]"))
            .ToList();
        var used = new HashSet<string>(variables, StringComparer.Ordinal);
        var keyColumn = campaign?.KeyColumn ?? "id";
        var writeBack = (campaign?.Columns ?? new WriteBackColumns()).All;
        var unused = columns
            .Where(c => c.Length > 0 && !used.Contains(ScriptRenderer.VariableOf(c)) && !template.RowColumns.Contains(c))
            .Where(c => !writeBack.Contains(c, StringComparer.OrdinalIgnoreCase))
            .Select(c => string.Equals(c, keyColumn, StringComparison.OrdinalIgnoreCase) ? $"{c} (the key column)" : c)
            .ToList();
        var builtIns = variables
            .Where(v => !missing.Contains(v) && !Provided.Contains(v) && !columns.Any(c => ScriptRenderer.VariableOf(c) == v))
            .ToList();
        Console.WriteLine($"Missing from the columns: {(missing.Count == 0 ? "none" : List(missing))}");
        Console.WriteLine($"Columns it does not use: {(unused.Count == 0 ? "none" : List(unused))}");
        var provided = variables.Where(Provided.Contains).ToList();
        if (provided.Count > 0 || builtIns.Count > 0)
        {
            Console.WriteLine($"Not columns, and fine: {List(provided.Select(v => $"{v} (given by BatchVideo)").Concat(builtIns.Select(v => $"{v} (Scriban built-in)")))}");
        }

        if (name is not null && campaign?.OptionalColumns is { Count: > 0 } optional)
        {
            Console.WriteLine($"Campaign {name} lets these be empty: {List(optional)}");
        }

        if (name is not null && campaign?.Defaults is { Count: > 0 } defaults)
        {
            Console.WriteLine($"Campaign {name} fills these when empty: {List(defaults.Select(d => $"{d.Key} = \"{d.Value}\""))}");
        }

        if (template.HandlesEmpty.Count > 0)
        {
            Console.WriteLine($"The template handles these when empty: {List(template.HandlesEmpty.Order(StringComparer.Ordinal))}");
        }

        if (missing.Count > 0)
        {
            Console.Error.WriteLine($"Exit 1: the template reads {missing.Count} variable(s) that no column of {csv} provides; every row would fail. Rename the column or the variable (a column 'First Name' is the variable first_name).");
            return ExitCodes.RowsNeedAttention;
        }

        return ExitCodes.Success;
    }

    /// <summary>The campaign named (or the default one), for its key and optional columns; none when there is no configuration.</summary>
    private static (CampaignOptions? Campaign, string? Name) LoadCampaign(string? campaignName, string? configPath)
    {
        if (configPath is null && campaignName is null && !File.Exists("appsettings.json"))
        {
            return (null, null);
        }

        var (configuration, _) = CliConfiguration.Load(configPath, new Dictionary<string, string?>());
        var options = new BatchVideoOptions();
        configuration.Bind(options);
        if (campaignName is null && string.IsNullOrWhiteSpace(options.DefaultCampaign))
        {
            return (null, null);
        }

        var (name, campaign) = options.Resolve(campaignName);
        return (campaign, name);
    }

    private static string List(IEnumerable<string> items) => string.Join(", ", items);

    /// <summary>A column with the variable it is read as, when that differs from its name.</summary>
    private static string Described(string column) => ScriptRenderer.VariableOf(column) switch
    {
        "" => column.Length == 0 ? "(unnamed: no variable)" : $"{column} (only as row[\"{column}\"])",
        var variable when variable == column => column,
        var variable => $"{column} → {variable}",
    };
}
