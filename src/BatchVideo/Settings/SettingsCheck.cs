using System.Collections;
using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace BatchVideo.Settings;

/// <summary>A setting that cannot be used as written: its path and one sentence an operator can act on.</summary>
/// <param name="Section">The options section it belongs to ("" for the root: campaigns, storage).</param>
public sealed record SettingProblem(string Section, string Path, string Message);

/// <summary>
/// Finds, before anything is bound, every value the configuration binder could not convert to its
/// option's type, and hides those values so binding the rest succeeds and every other check still runs.
/// The binder itself would stop at the first bad value with an exception and a stack trace; here each one
/// becomes a sentence naming the key, the value, where it was set and the type expected, and all of them
/// are reported together by the options validators (<see cref="SettingsValidator{TOptions}"/>).
/// </summary>
public static class SettingsCheck
{
    /// <summary>The configuration with unconvertible values hidden, and what was wrong with them.</summary>
    public sealed record Result(IConfiguration Configuration, IReadOnlyList<SettingProblem> Problems);

    /// <summary>
    /// Checks the sections in <paramref name="sections"/> (section path, options type). Idempotent: a
    /// configuration this method already returned keeps its problems and is not checked again.
    /// </summary>
    public static Result Apply(IConfiguration configuration, IEnumerable<(string Section, Type Type)> sections)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(sections);
        if (configuration is IConfigurationRoot root && root.Providers.OfType<HiddenSettingsProvider>().FirstOrDefault() is { } hidden)
        {
            return new Result(configuration, hidden.Problems);
        }

        var problems = new List<SettingProblem>();
        foreach (var (section, type) in sections)
        {
            var at = section.Length == 0 ? configuration : configuration.GetSection(section);
            Walk(configuration, section, at, section, type, problems);
        }

        if (problems.Count == 0)
        {
            return new Result(configuration, problems);
        }

        var masked = new ConfigurationBuilder()
            .Add(new HiddenSettingsSource(configuration, problems))
            .Build();
        return new Result(masked, problems);
    }

    /// <summary>The problems of one options type's section (for a validator), in the order found.</summary>
    public static IEnumerable<SettingProblem> Of(this IReadOnlyList<SettingProblem> problems, string section) =>
        problems.Where(p => string.Equals(p.Section, section, StringComparison.OrdinalIgnoreCase));

    private static void Walk(IConfiguration root, string section, IConfiguration node, string path, Type type, List<SettingProblem> problems)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var value = (node as IConfigurationSection)?.Value;
        if (IsScalar(type))
        {
            if (value is { Length: > 0 } && !Converts(node, type))
            {
                problems.Add(new SettingProblem(section, path, $"{path} is '{value}'{SettingSource.Describe(root, path)}, which is not {Expected(type)}."));
            }

            return;
        }

        if (value is { Length: > 0 } && !node.GetChildren().Any())
        {
            problems.Add(new SettingProblem(section, path, $"{path} is '{value}'{SettingSource.Describe(root, path)}, but it is a section of settings, not a single value."));
            return;
        }

        if (ElementType(type) is { } element)
        {
            foreach (var child in node.GetChildren())
            {
                Walk(root, section, child, child.Path, element, problems);
            }

            return;
        }

        var properties = SettingKeys.Bindable(type);
        foreach (var (name, property) in properties)
        {
            var child = node.GetSection(name);
            if (child.Value is not null || child.GetChildren().Any())
            {
                Walk(root, section, child, child.Path, property.PropertyType, problems);
            }
        }

        // The root's own keys are not ours alone (environment variables such as PATH land there too);
        // every section below it is, so a key its options type does not have is a typo, not a choice.
        if (node is IConfigurationSection && type != typeof(object))
        {
            foreach (var child in node.GetChildren())
            {
                if (!properties.ContainsKey(child.Key))
                {
                    problems.Add(new SettingProblem(section, child.Path, SettingKeys.Unknown(child.Path, child.Key, properties.Keys, SettingSource.Describe(root, FirstValue(child)))));
                }
            }
        }
    }

    /// <summary>The path of a value under <paramref name="node"/> (itself when it has one), to tell where it was written.</summary>
    private static string FirstValue(IConfigurationSection node) =>
        node.Value is not null ? node.Path : node.AsEnumerable().FirstOrDefault(pair => pair.Value is not null).Key ?? node.Path;

    /// <summary>The binder's own conversion decides, so this check never disagrees with it.</summary>
    private static bool Converts(IConfiguration node, Type type)
    {
        try
        {
            ((IConfigurationSection)node).Get(type);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(Uri)
        || (type != typeof(object) && !typeof(IEnumerable).IsAssignableFrom(type) && !type.IsClass && TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string)));

    /// <summary>The value type of a dictionary, or the element type of a list or array; null for an object.</summary>
    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (!type.IsGenericType || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        var arguments = type.GetGenericArguments();
        return arguments[^1];
    }

    private static string Expected(Type type) => type switch
    {
        _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) => "a whole number",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number (like 2.5)",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(TimeSpan) => "a duration written [d.]hh:mm:ss (like 00:00:30 for 30 seconds)",
        _ when type == typeof(Uri) => "a URL",
        _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type)),
        _ => "a " + type.Name,
    };

    private sealed class HiddenSettingsSource(IConfiguration original, IReadOnlyList<SettingProblem> problems) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new HiddenSettingsProvider(original, problems);
    }

    /// <summary>
    /// A copy of the configuration without the bad values (a later provider cannot remove a key, and a null
    /// one binds as the type's default, not the option's): the binder keeps each option's own default, and
    /// the validators report the problem instead of the binder throwing. Where a value was set is still
    /// told from <see cref="Original"/>.
    /// </summary>
    private sealed class HiddenSettingsProvider : ConfigurationProvider
    {
        public HiddenSettingsProvider(IConfiguration original, IReadOnlyList<SettingProblem> problems)
        {
            Original = original;
            Problems = problems;
            foreach (var (key, value) in original.AsEnumerable())
            {
                if (!problems.Any(p => string.Equals(key, p.Path, StringComparison.OrdinalIgnoreCase) || key.StartsWith(p.Path + ":", StringComparison.OrdinalIgnoreCase)))
                {
                    Data[key] = value;
                }
            }
        }

        public IConfiguration Original { get; }

        public IReadOnlyList<SettingProblem> Problems { get; }
    }

    /// <summary>The configuration as it was read, before bad values were hidden (to tell where a value was set).</summary>
    public static IConfiguration Original(IConfiguration configuration) =>
        configuration is IConfigurationRoot root && root.Providers.OfType<HiddenSettingsProvider>().FirstOrDefault() is { } hidden
            ? hidden.Original
            : configuration;
}
