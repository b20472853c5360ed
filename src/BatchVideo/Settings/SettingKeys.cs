using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace BatchVideo.Settings;

/// <summary>
/// The keys an options type accepts, read from the type itself (so a new option is known the moment it
/// is added), and the sentence for a key it does not accept, with the nearest known key as the fix.
/// </summary>
public static class SettingKeys
{
    /// <summary>
    /// The keys the configuration binder fills on <paramref name="type"/>, case-insensitive as the binder
    /// matches them: public instance properties (their <see cref="ConfigurationKeyNameAttribute"/> name
    /// where given), without indexers or read-only single values, which the binder leaves alone.
    /// </summary>
    public static IReadOnlyDictionary<string, PropertyInfo> Bindable(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var keys = new Dictionary<string, PropertyInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || (!property.CanWrite && IsSingleValue(property.PropertyType)))
            {
                continue;
            }

            keys[property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name] = property;
        }

        return keys;
    }

    /// <summary>
    /// "Campaigns:welcome:Resolutoin (in appsettings.json) is not a setting BatchVideo knows: did you mean
    /// `Resolution`?", or, when nothing is close, the keys that section does accept.
    /// </summary>
    /// <param name="where">Where it was written, " (in …)", or "".</param>
    public static string Unknown(string path, string key, IEnumerable<string> known, string where)
    {
        ArgumentNullException.ThrowIfNull(known);
        var names = known.Order(StringComparer.Ordinal).ToList();
        var nearest = Nearest(key, names);
        var fix = nearest is not null
            ? $"did you mean `{nearest}`?"
            : names.Count == 0 ? "this section takes no settings." : $"the settings here are {string.Join(", ", names)}.";
        return $"{path}{where} is not a setting BatchVideo knows, so it would be ignored: {fix}";
    }

    /// <summary>
    /// The known key fewest edits away (letters added, removed, changed or two swapped, case ignored),
    /// when it is close enough to be the same word misspelled: at most a third of its letters, at least 2.
    /// </summary>
    public static string? Nearest(string key, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(known);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var name in known)
        {
            var distance = Distance(key.ToUpperInvariant(), name.ToUpperInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (name, distance);
            }
        }

        return best is not null && bestDistance <= Math.Max(2, best.Length / 3) ? best : null;
    }

    /// <summary>Optimal string alignment distance: an adjacent swap ("Resolutoin") counts as one edit.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static bool IsSingleValue(Type type) =>
        type.IsValueType || type == typeof(string) || type == typeof(Uri);
}
