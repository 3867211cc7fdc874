using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Folios.Analyzers.Engine;

/// <summary>
/// The cheap first question for every member: does its text name anything a rule checks? Most code of a project does
/// not use the APIs the rules check, and binding a member's operations is the expensive part of any rule, so every
/// file is read once as text (one pass, every <see cref="Vocabulary"/> at once), its places are kept as sorted
/// positions, and each rule asks of a member whether it holds a place of the vocabularies it cares about: one binary
/// search. A member that holds none is never bound. The text is read, not the tokens: a token walk creates the tree's
/// red nodes; a word in a comment or string counts too, which only makes the answer more often yes.
/// </summary>
internal sealed class Relevance
{
    private readonly CompilationFacts _facts;
    private readonly ConcurrentDictionary<SyntaxTree, FilePlaces> _files = new();
    private readonly Func<SyntaxTree, FilePlaces> _indexFile; // one delegate, not one per question
    private readonly Lazy<WordTable> _words;

    public Relevance(CompilationFacts facts)
    {
        _facts = facts;
        _words = new Lazy<WordTable>(() => new WordTable(facts, Vocabulary.All));
        _indexFile = tree => new FilePlaces(tree, _words.Value);
    }

    /// <summary>Where one file names what the rules look for.</summary>
    public FilePlaces Of(SyntaxTree tree) => _files.GetOrAdd(tree, _indexFile);

    /// <summary>
    /// The code blocks of a file around its places: the units the driver would hand a code-block action (a method,
    /// constructor, operator or accessor; a field declaration; a property or indexer; a type with a primary
    /// constructor; the top-level statements, which every place in their file makes relevant). Found by walking the
    /// declarations only, never into a body, one binary search each; a file with no place yields none.
    /// </summary>
    public IReadOnlyList<SyntaxNode> CodeBlocks(SyntaxTree tree, CancellationToken cancellation)
    {
        var places = Of(tree);
        if (!places.HasPlaces)
            return [];
        return places.CodeBlocks ??= CodeBlocksAround(tree.GetRoot(cancellation), places);
    }

    private static List<SyntaxNode> CodeBlocksAround(SyntaxNode root, FilePlaces places)
    {
        var blocks = new List<SyntaxNode>();
        if (root is CompilationUnitSyntax unit)
        {
            foreach (var member in unit.Members)
            {
                if (member is GlobalStatementSyntax)
                {
                    blocks.Add(unit);
                    break;
                }
            }
            AddCodeBlocks(unit.Members, places, blocks);
        }
        return blocks;
    }

    private static void AddCodeBlocks(SyntaxList<MemberDeclarationSyntax> members, FilePlaces places, List<SyntaxNode> blocks)
    {
        foreach (var member in members)
        {
            if (!places.HoldsAny(member.Span))
                continue;
            switch (member)
            {
                case BaseNamespaceDeclarationSyntax space:
                    AddCodeBlocks(space.Members, places, blocks);
                    break;
                case TypeDeclarationSyntax type:
                    if (type.ParameterList is not null)
                        blocks.Add(type);
                    AddCodeBlocks(type.Members, places, blocks);
                    break;
                case BaseMethodDeclarationSyntax or BaseFieldDeclarationSyntax:
                    blocks.Add(member);
                    break;
                case BasePropertyDeclarationSyntax property:
                    blocks.Add(property);
                    foreach (var accessor in property.AccessorList?.Accessors ?? default)
                    {
                        if (places.HoldsAny(accessor.Span))
                            blocks.Add(accessor);
                    }
                    break;
            }
        }
    }

    /// <summary>
    /// Every word of every applicable word vocabulary, grouped by length, with the vocabularies each belongs to; and a
    /// filter of one bit for each (length, first character, last character) of a word, each taken modulo 16, 32 and 32:
    /// most words of a file share none with a listed word and are passed over with one bit test.
    /// </summary>
    internal sealed class WordTable
    {
        private readonly string[]?[] _byLength;
        private readonly int[]?[] _masksByLength;
        private readonly ulong[] _filter = new ulong[1 << (4 + 5 + 5 - 6)];

        public WordTable(CompilationFacts facts, IReadOnlyList<Vocabulary> vocabularies)
        {
            Vocabularies = vocabularies;
            Applies = new bool[vocabularies.Count];
            var masks = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var vocabulary in vocabularies)
            {
                if (vocabulary.Words?.Invoke(facts) is not { } words)
                    continue;
                Applies[vocabulary.Index] = true;
                foreach (string word in words)
                {
                    if (word.Length > 0) // a declaration still being typed has no name yet
                        masks[word] = (masks.TryGetValue(word, out int mask) ? mask : 0) | 1 << vocabulary.Index;
                }
            }
            foreach (var vocabulary in vocabularies)
            {
                if (vocabulary.Scan is not null && vocabulary.Within is { } within && Applies[within.Index])
                    Applies[vocabulary.Index] = true;
            }
            int longest = 0;
            foreach (string word in masks.Keys)
                longest = Math.Max(longest, word.Length);
            var byLength = masks.Keys.GroupBy(word => word.Length).ToDictionary(group => group.Key, group => group.ToArray());
            _byLength = new string[]?[longest + 1];
            _masksByLength = new int[]?[longest + 1];
            foreach (var group in byLength)
            {
                _byLength[group.Key] = group.Value;
                _masksByLength[group.Key] = group.Value.Select(word => masks[word]).ToArray();
            }
            foreach (string word in masks.Keys)
            {
                int bit = FilterBit(word.Length, word[0], word[word.Length - 1]);
                _filter[bit >> 6] |= 1UL << (bit & 63);
            }
        }

        public IReadOnlyList<Vocabulary> Vocabularies { get; }

        /// <summary>Per vocabulary, whether it can have places in this compilation at all.</summary>
        public bool[] Applies { get; }

        /// <summary>The vocabularies the word at [start, start + length) of the text belongs to, as a bit mask (0: none).</summary>
        public int MaskOf(string text, int start, int length)
        {
            if (length >= _byLength.Length || _byLength[length] is not { } candidates)
                return 0;
            int bit = FilterBit(length, text[start], text[start + length - 1]);
            if ((_filter[bit >> 6] & (1UL << (bit & 63))) == 0)
                return 0;
            for (int i = 0; i < candidates.Length; i++)
            {
                if (candidates[i][0] == text[start] && string.CompareOrdinal(text, start, candidates[i], 0, length) == 0)
                    return _masksByLength[length]![i];
            }
            return 0;
        }

        private static int FilterBit(int length, char first, char last) => (length & 15) << 10 | (first & 31) << 5 | last & 31;
    }
}

/// <summary>
/// Where one file names each vocabulary: sorted positions, from one scan of the file's text. Its code blocks are found
/// from them, and every rule asks about each block with a binary search, so all rules cost one scan per file.
/// </summary>
internal sealed class FilePlaces
{
    private readonly int[][] _places;
    private readonly int[] _all;

    internal FilePlaces(SyntaxTree tree, Relevance.WordTable words)
    {
        string text = tree.GetText().ToString();
        var found = new List<int>?[words.Vocabularies.Count];
        for (int i = 0; i < text.Length;)
        {
            char c = text[i];
            if (!TextScan.IsWordCharacter(c))
            {
                i++;
                continue;
            }
            int start = i;
            while (i < text.Length && TextScan.IsWordCharacter(text[i]))
                i++;
            if (c is >= '0' and <= '9')
                continue;
            int mask = words.MaskOf(text, start, i - start);
            for (int index = 0; mask != 0; index++, mask >>= 1)
            {
                if ((mask & 1) != 0 && (words.Vocabularies[index].Accept is not { } accept || accept(text, start, i)))
                    (found[index] ??= []).Add(start);
            }
        }
        foreach (var vocabulary in words.Vocabularies)
        {
            if (vocabulary.Scan is { } scan && words.Applies[vocabulary.Index] && vocabulary.Within is { } within && found[within.Index] is not null)
                scan(text, found[vocabulary.Index] ??= []);
        }
        _places = new int[found.Length][];
        var all = new List<int>();
        for (int index = 0; index < found.Length; index++)
        {
            _places[index] = found[index]?.ToArray() ?? [];
            all.AddRange(_places[index]);
        }
        all.Sort();
        _all = all.ToArray();
    }

    /// <summary>Whether the file holds a place of any vocabulary.</summary>
    public bool HasPlaces => _all.Length > 0;

    /// <summary>Whether the span holds a place of any vocabulary.</summary>
    public bool HoldsAny(TextSpan span) => Any(_all, span);

    /// <summary>Whether the span holds a place of the vocabulary.</summary>
    public bool Holds(Vocabulary vocabulary, TextSpan span) => vocabulary.Index < _places.Length && Any(_places[vocabulary.Index], span);

    /// <summary>The places of the vocabulary inside the span, in order.</summary>
    public IEnumerable<int> PlacesOf(Vocabulary vocabulary, TextSpan span)
    {
        if (vocabulary.Index >= _places.Length)
            yield break;
        var places = _places[vocabulary.Index];
        int at = Array.BinarySearch(places, span.Start);
        for (at = at < 0 ? ~at : at; at < places.Length && places[at] < span.End; at++)
            yield return places[at];
    }

    /// <summary>Set at the first rule's callback for the file; two threads may both find them, and find the same.</summary>
    internal List<SyntaxNode>? CodeBlocks { get; set; }

    /// <summary>Whether a position of the sorted list falls inside the span: one binary search.</summary>
    private static bool Any(int[] positions, TextSpan span)
    {
        int at = Array.BinarySearch(positions, span.Start);
        if (at < 0)
            at = ~at;
        return at < positions.Length && positions[at] < span.End;
    }
}
