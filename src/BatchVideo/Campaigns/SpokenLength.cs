using System.Globalization;
using System.Text;

namespace BatchVideo.Campaigns;

/// <summary>
/// How long a script takes to say. Languages written with spaces are timed by their words at the
/// campaign's <c>WordsPerMinute</c>; Japanese, Chinese and Thai are written without spaces between
/// words, so a whole sentence would count as one word (and a Japanese campaign as nearly free): their
/// characters are timed instead, at a speaking rate per script.
/// </summary>
/// <param name="Words">Runs of other (spaced) text.</param>
/// <param name="Characters">Characters of scripts written without spaces (punctuation and combining marks not counted).</param>
/// <param name="CharacterMinutes">Those characters' speaking time, in minutes.</param>
public readonly record struct SpokenLength(int Words, int Characters, double CharacterMinutes)
{
    /// <summary>
    /// Japanese: 350 characters a minute of mixed kanji and kana. NHK's announcers are trained to about 300
    /// characters a minute and conversational Japanese runs near 400 (the range the shared case
    /// 20-cjk-script-credit-estimate cites); Pellegrino, Coupé and Marsico (2011, "A cross-language perspective
    /// on speech information rate", Language 87(3)) measured 7.84 morae a second of read Japanese, about
    /// 350 characters a minute at 1.3 morae a character.
    /// </summary>
    public const double JapaneseCharactersPerMinute = 350;

    /// <summary>
    /// Chinese: 280 characters a minute. One character is one syllable; the same study measured 5.18
    /// syllables a second of read Mandarin (about 310 a minute); synthetic voices read a little slower.
    /// </summary>
    public const double ChineseCharactersPerMinute = 280;

    /// <summary>
    /// Thai (and Lao, Khmer, Myanmar, likewise unspaced): 600 letters a minute, combining vowel and tone
    /// marks not counted. An approximation from about 5 syllables a second and a little over 2 base letters a
    /// syllable; the least certain of the three rates, and the one to check against a real render.
    /// </summary>
    public const double ThaiLettersPerMinute = 600;

    /// <summary>Speaking time at <paramref name="wordsPerMinute"/> for the spaced words, plus the unspaced characters' own time.</summary>
    public double MinutesAt(double wordsPerMinute) => (wordsPerMinute > 0 ? Words / wordsPerMinute : 0) + CharacterMinutes;

    public static SpokenLength Of(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var words = 0;
        var han = 0;
        var kana = 0;
        var thai = 0;
        var inWord = false;
        foreach (var rune in script.EnumerateRunes())
        {
            var kind = Classify(rune);
            switch (kind)
            {
                case Script.Han:
                    han++;
                    break;
                case Script.Kana:
                    kana++;
                    break;
                case Script.Thai:
                    thai++;
                    break;
            }

            var isWordPart = kind == Script.Spaced && !Rune.IsWhiteSpace(rune);
            if (isWordPart && !inWord)
            {
                words++;
            }

            inWord = isWordPart;
        }

        // Kanji are Japanese when the script has kana, Chinese otherwise.
        var hanRate = kana > 0 ? JapaneseCharactersPerMinute : ChineseCharactersPerMinute;
        var minutes = (han / hanRate) + (kana / JapaneseCharactersPerMinute) + (thai / ThaiLettersPerMinute);
        return new SpokenLength(words, han + kana + thai, minutes);
    }

    private static Script Classify(Rune rune)
    {
        var c = rune.Value;
        return c switch
        {
            >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x3FFFF or 0x3005 => Script.Han,
            >= 0x3040 and <= 0x30FF or >= 0x31F0 and <= 0x31FF or >= 0xFF66 and <= 0xFF9F => IsMarkOrPunctuation(rune) || c is 0x30FB ? Script.Silent : Script.Kana,
            >= 0x0E00 and <= 0x0EFF or >= 0x1780 and <= 0x17FF or >= 0x1000 and <= 0x109F => IsMarkOrPunctuation(rune) ? Script.Silent : Script.Thai,
            >= 0x3000 and <= 0x303F => Script.Silent, // CJK punctuation: 、。「」
            >= 0xFF00 and <= 0xFF65 => IsMarkOrPunctuation(rune) ? Script.Silent : Script.Spaced, // full-width forms
            _ => Script.Spaced,
        };
    }

    private static bool IsMarkOrPunctuation(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
        or UnicodeCategory.OtherPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
        or UnicodeCategory.ClosePunctuation or UnicodeCategory.ModifierSymbol;

    private enum Script
    {
        Spaced,
        Silent,
        Han,
        Kana,
        Thai,
    }
}
