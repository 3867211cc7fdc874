namespace Folios.Analyzers.Engine;

/// <summary>How the text scans behind <see cref="Relevance"/> read a file's characters.</summary>
internal static class TextScan
{
    /// <summary>ASCII letters, digits and '_', by table: one load instead of the range tests, at every character of every file.</summary>
    private static readonly bool[] AsciiWordCharacters = MakeAsciiWordCharacters();

    /// <summary>Whether the character can be part of a C# identifier or number as the scans read them; Unicode tables only past ASCII.</summary>
    public static bool IsWordCharacter(char c) => c < 128 ? AsciiWordCharacters[c] : char.IsLetterOrDigit(c);

    /// <summary>The first character before <paramref name="at"/> that is not white space, or '\0'.</summary>
    public static char Before(string text, int at)
    {
        while (--at >= 0 && char.IsWhiteSpace(text[at]))
        {
        }
        return at >= 0 ? text[at] : '\0';
    }

    /// <summary>The first character at or after <paramref name="at"/> that is not white space, or '\0'.</summary>
    public static char After(string text, int at)
    {
        while (at < text.Length && char.IsWhiteSpace(text[at]))
            at++;
        return at < text.Length ? text[at] : '\0';
    }

    private static bool[] MakeAsciiWordCharacters()
    {
        var table = new bool[128];
        for (char c = '\0'; c < 128; c++)
            table[c] = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_';
        return table;
    }
}
