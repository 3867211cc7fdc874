using System.Collections.Immutable;

namespace Folios.Analyzers.Engine;

/// <summary>
/// A kind of place in a file's text that makes code worth some rules' look: the words of an API the rules check (the
/// Folios entry points, ArrayPool's Rent, a sequence's FirstSpan...), or what a rule family's own scan of the text
/// finds (FOLIO008's page-geometry literals). Each rule family declares its vocabularies as static fields, and each
/// rule names the ones it asks about when it registers (<see cref="RuleBlock.Register{TRule}(Microsoft.CodeAnalysis.Diagnostics.AnalysisContext, Func{CompilationFacts, TRule}, Vocabulary, Action{RuleBlock, TRule})"/>),
/// which declares them before any file is read; the relevance index (<see cref="Relevance"/>) finds the places of
/// every declared vocabulary in one pass over each file, so that the index depends on no rule.
/// </summary>
internal sealed class Vocabulary
{
    private static readonly object Declaring = new();
    private static ImmutableArray<Vocabulary> s_all = ImmutableArray<Vocabulary>.Empty;

    private Vocabulary(string name, Func<CompilationFacts, IEnumerable<string>?>? words, Func<string, int, int, bool>? accept, Action<string, List<int>>? scan, Vocabulary? within)
    {
        Name = name;
        Words = words;
        Accept = accept;
        Scan = scan;
        Within = within;
        lock (Declaring)
        {
            Index = s_all.Length;
            s_all = s_all.Add(this);
        }
    }

    /// <summary>Every vocabulary declared so far: the driver registers every rule, which names its vocabularies, before it reads a file.</summary>
    public static ImmutableArray<Vocabulary> All => s_all;

    public string Name { get; }

    /// <summary>The vocabulary's position in <see cref="All"/>.</summary>
    public int Index { get; }

    /// <summary>The words, for one compilation; null when the compilation cannot use them (the API is not referenced).</summary>
    public Func<CompilationFacts, IEnumerable<string>?>? Words { get; }

    /// <summary>Whether a word found at [start, end) of the text counts here (null: every occurrence counts).</summary>
    public Func<string, int, int, bool>? Accept { get; }

    /// <summary>A scan of the text that adds the places it finds, in order; null for a vocabulary of words.</summary>
    public Action<string, List<int>>? Scan { get; }

    /// <summary>For a scan: the vocabulary whose places a file must hold before it is scanned at all.</summary>
    public Vocabulary? Within { get; }

    /// <summary>A vocabulary of words, found where they stand as whole identifiers (and where <paramref name="accept"/> says so).</summary>
    public static Vocabulary OfWords(string name, Func<CompilationFacts, IEnumerable<string>?> words, Func<string, int, int, bool>? accept = null) =>
        new(name, words, accept, scan: null, within: null);

    /// <summary>A vocabulary of places found by a scan of the text of the files that hold a place of <paramref name="within"/>.</summary>
    public static Vocabulary OfScan(string name, Action<string, List<int>> scan, Vocabulary within) =>
        new(name, words: null, accept: null, scan, within);

    public override string ToString() => Name;
}
