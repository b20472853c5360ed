using BatchVideo.Databases;
using BatchVideo.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace BatchVideo.Ledger;

/// <summary>Checks the ledger's engine at start, naming where the value was set (its data annotations: <see cref="SettingsValidator{TOptions}"/>).</summary>
internal sealed class LedgerOptionsValidator(IConfiguration configuration) : IValidateOptions<LedgerOptions>
{
    public ValidateOptionsResult Validate(string? name, LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return EnginePaths.IsEngine(options.Engine)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Ledger:Engine is '{options.Engine}'{SettingSource.Describe(configuration, "Ledger:Engine")}, which is not one of sqlite, postgres, sqlserver.");
    }
}
