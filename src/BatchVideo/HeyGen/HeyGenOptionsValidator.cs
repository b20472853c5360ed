using Microsoft.Extensions.Options;

namespace BatchVideo.HeyGen;

/// <summary>Checks the HeyGen settings at start, every problem at once, before any request is sent.</summary>
/// <param name="requireApiKey">False for commands that send nothing paid (validate, preview): they run without a key.</param>
internal sealed class HeyGenOptionsValidator(bool requireApiKey) : IValidateOptions<HeyGenOptions>
{
    public ValidateOptionsResult Validate(string? name, HeyGenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (requireApiKey && string.IsNullOrWhiteSpace(options.ApiKey))
        {
            errors.Add("HeyGen API key is missing: set HEYGEN_API_KEY (or HeyGen:ApiKey in user secrets), or try the sandbox with --sandbox.");
        }

        if (!(options.BaseUrl.IsAbsoluteUri && options.BaseUrl.Scheme is "http" or "https"))
        {
            errors.Add("HeyGen:BaseUrl must be an absolute http(s) URL.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
