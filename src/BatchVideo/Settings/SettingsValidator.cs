using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BatchVideo.Settings;

/// <summary>
/// Validates one options type at start in sentences that name the setting's full path and where it was
/// set: first the values that did not convert (<see cref="SettingsCheck"/>), then the options' data
/// annotations (<c>[Range]</c>, <c>[Required]</c>) in place of the platform's
/// "DataAnnotation validation failed for 'HeyGenOptions' members: …".
/// </summary>
public sealed class SettingsValidator<TOptions>(IConfiguration configuration, string section, IReadOnlyList<SettingProblem> problems) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = problems.Of(section).Select(p => p.Message).ToList();
        var hidden = problems.Of(section).Select(p => p.Path).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var property in typeof(TOptions).GetProperties())
        {
            var path = section.Length == 0 ? property.Name : $"{section}:{property.Name}";
            if (hidden.Contains(path))
            {
                continue; // already reported as not converting; the default it fell back to says nothing
            }

            var value = property.GetValue(options);
            var context = new ValidationContext(options) { MemberName = property.Name, DisplayName = path };
            foreach (var attribute in property.GetCustomAttributes(typeof(ValidationAttribute), inherit: true).Cast<ValidationAttribute>())
            {
                if (attribute.GetValidationResult(value, context) is not { } failure)
                {
                    continue;
                }

                var written = SettingSource.Describe(configuration, path);
                errors.Add(attribute switch
                {
                    RequiredAttribute => $"{path} is missing{written}.",
                    RangeAttribute range => $"{path} is {Show(value)}{written}; it must be between {Bound(range.Minimum)} and {Bound(range.Maximum)}.",
                    _ => $"{path} is {Show(value)}{written}: {failure.ErrorMessage}",
                });
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string Bound(object bound) => bound as string ?? Show(bound);

    private static string Show(object? value) => value switch
    {
        null => "empty",
        string text => $"'{text}'",
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture) is var c && c.Contains('.', StringComparison.Ordinal) && c.LastIndexOf('.') > c.LastIndexOf(':') ? c.TrimEnd('0') : c,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>Registers options bound from a checked configuration and validated at start with <see cref="SettingsValidator{TOptions}"/>.</summary>
public static class SettingsRegistration
{
    public static OptionsBuilder<TOptions> AddCheckedOptions<TOptions>(this IServiceCollection services, SettingsCheck.Result check, string section)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(check);
        services.AddSingleton<IValidateOptions<TOptions>>(new SettingsValidator<TOptions>(check.Configuration, section, check.Problems));
        return services.AddOptions<TOptions>()
            .Bind(section.Length == 0 ? check.Configuration : check.Configuration.GetSection(section))
            .ValidateOnStart();
    }
}
