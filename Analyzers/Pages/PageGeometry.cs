using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Pages;

/// <summary>
/// FOLIO008's two questions: which arithmetic hard-codes a page geometry (a literal page size, offset mask,
/// page mask or page shift), and which values of a body are buffer offsets (they flow into a helper's offset, a
/// folio index, or an index over page memory, or come from FolioIndex/OffsetInFolio).
/// </summary>
internal static class PageGeometry
{
    public enum Kind
    {
        Size,
        OffsetMask,
        PageMask,
        Shift,
    }

    /// <summary>
    /// A literal (or named constant) of a page geometry in arithmetic; <see cref="Other"/> is what it combines with.
    /// <see cref="Named"/>: the geometry is a named constant, which counts only where it splits an offset into a folio
    /// and an offset in it (<see cref="Offsets.SplitsIntoFolio"/>).
    /// </summary>
    public readonly struct Candidate(IOperation literal, IOperation arithmetic, IOperation other, Kind kind, bool named)
    {
        public IOperation Literal { get; } = literal;
        public IOperation Arithmetic { get; } = arithmetic;
        public IOperation Other { get; } = other;
        public Kind Kind { get; } = kind;
        public bool Named { get; } = named;
    }

    /// <summary>Where a file's text holds a literal or shift FOLIO008 could report: found once per file, in the files that name Folios.</summary>
    public static readonly Vocabulary Literals = Vocabulary.OfScan("page geometry", FindGeometry, FoliosEntryPoints.Api);

    public static List<Candidate> Candidates(IOperation body)
    {
        var found = new List<Candidate>();
        foreach (var operation in OperationTrees.Of(body))
        {
            switch (operation)
            {
                case IBinaryOperation binary when !MixesBits(binary):
                    Add(found, binary, binary.OperatorKind, binary.LeftOperand, binary.RightOperand);
                    break;
                case ICompoundAssignmentOperation compound:
                    Add(found, compound, compound.OperatorKind, compound.Target, compound.Value);
                    break;
            }
        }
        return found;
    }

    private static void Add(List<Candidate> found, IOperation arithmetic, BinaryOperatorKind op, IOperation left, IOperation right)
    {
        if (KindOf(op, right, isRightOperand: true, out bool named) is { } kind)
            found.Add(new Candidate(Unwrap(right), arithmetic, left, kind, named));
        else if (arithmetic is IBinaryOperation && KindOf(op, left, isRightOperand: false, out named) is { } leftKind)
            found.Add(new Candidate(Unwrap(left), arithmetic, right, leftKind, named));
    }

    /// <summary>
    /// A literal (and ~literal) page geometry; or a named constant of one (<c>const int PageSize = 4096</c>), which
    /// <paramref name="named"/> marks, in an operation that splits an offset (<c>/</c>, <c>%</c>, <c>&gt;&gt;</c>,
    /// <c>&amp;</c>). Elsewhere a named constant is the project's own decision, e.g. a sector size.
    /// </summary>
    private static Kind? KindOf(BinaryOperatorKind op, IOperation operand, bool isRightOperand, out bool named)
    {
        var value = Unwrap(operand);
        bool literal = value is ILiteralOperation || value is IUnaryOperation { OperatorKind: UnaryOperatorKind.BitwiseNegation, Operand: var inner } && Unwrap(inner) is ILiteralOperation;
        named = !literal && value.ConstantValue.HasValue && NamesConstant(value) && op is BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder or BinaryOperatorKind.RightShift or BinaryOperatorKind.And;
        if (!literal && !named || !ConstantValues.TryGetInt64(value, out long constant))
            return null;
        return op switch
        {
            // page * 4096, offset / 4096, 4096 - offsetInPage (the bytes left in the page) ...; not 4096 / n or 4096 % n.
            BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder or BinaryOperatorKind.Add or BinaryOperatorKind.Subtract
                when IsPageSize(constant) && (isRightOperand || op is BinaryOperatorKind.Multiply or BinaryOperatorKind.Add or BinaryOperatorKind.Subtract) => Kind.Size,
            BinaryOperatorKind.And when IsPageSize(constant + 1) => Kind.OffsetMask,
            BinaryOperatorKind.And when IsPageSize(-constant) || IsPageSize((long)(uint)~constant + 1) => Kind.PageMask,
            BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift when isRightOperand && constant is 12 or 14 or 16 => Kind.Shift,
            _ => null,
        };
    }

    /// <summary>Whether a constant expression names a constant (<c>PageSize</c>, <c>PageSize - 1</c>, <c>~(PageSize - 1)</c>).</summary>
    private static bool NamesConstant(IOperation value)
    {
        foreach (var node in value.DescendantsAndSelf())
        {
            if (node is ILocalReferenceOperation { Local.IsConst: true } or IFieldReferenceOperation { Field.IsConst: true })
                return true;
        }
        return false;
    }

    /// <summary>
    /// A shift whose result is mixed back with <c>^</c> (<c>h ^= h &gt;&gt; 16</c>, <c>h ^ (h &gt;&gt; 16)</c>) or
    /// or-ed with the opposite shift of the same value (a rotation) spreads the bits of a hash: no offset arithmetic
    /// xors or rotates, whatever the result later indexes.
    /// </summary>
    private static bool MixesBits(IBinaryOperation shift)
    {
        if (shift.OperatorKind is not (BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift))
            return false;
        var outer = OperationShape.Outermost(shift);
        while (outer.Parent is IConversionOperation or IParenthesizedOperation)
            outer = outer.Parent;
        switch (outer.Parent)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ExclusiveOr }:
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.ExclusiveOr } mix when mix.Value == outer:
                return true;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Or } rotation:
                var other = OperationShape.UnwrapNumeric(rotation.LeftOperand == outer ? rotation.RightOperand : rotation.LeftOperand);
                return other is IBinaryOperation { OperatorKind: BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift } opposite
                    && opposite.OperatorKind != shift.OperatorKind
                    && OperationShape.VariableOf(opposite.LeftOperand) is { } rotated
                    && SymbolEqualityComparer.Default.Equals(rotated, OperationShape.VariableOf(shift.LeftOperand));
            default:
                return false;
        }
    }

    private static bool IsPageSize(long value) => value is 4096 or 16384 or 65536;

    /// <summary>
    /// Where a file's text holds a shift (<c>&lt;&lt;</c>, <c>&gt;&gt;</c>) or a number that <see cref="KindOf"/> could
    /// take for page geometry, in order: the places of <see cref="Literals"/>, found before any operation is built,
    /// since most members hold neither.
    /// </summary>
    private static void FindGeometry(string text, List<int> positions)
    {
        for (int i = 0; i < text.Length;)
        {
            char c = text[i];
            if ((c == '<' || c == '>') && i + 1 < text.Length && text[i + 1] == c)
            {
                positions.Add(i);
                i += 2;
                continue;
            }
            if (c is < '0' or > '9' || i > 0 && TextScan.IsWordCharacter(text[i - 1]))
            {
                i++;
                continue;
            }
            int first = i;
            while (i < text.Length && TextScan.IsWordCharacter(text[i]))
                i++;
            if (TryParseLiteral(text, first, i, out long value) && (IsPageSize(value) || IsPageSize(value + 1) || IsPageSize((long)(uint)~value + 1)))
                positions.Add(first);
        }
    }

    /// <summary>A decimal or hex integer literal with digit separators and an optional u/l suffix; a 16-digit hex literal wraps as C# reads it into a long.</summary>
    private static bool TryParseLiteral(string text, int start, int end, out long value)
    {
        value = 0;
        while (end > start && text[end - 1] is 'u' or 'U' or 'l' or 'L')
            end--;
        bool hex = end - start > 2 && text[start] == '0' && text[start + 1] is 'x' or 'X';
        int digits = 0;
        for (int i = hex ? start + 2 : start; i < end; i++)
        {
            char c = text[i];
            if (c == '_')
                continue;
            int digit = c is >= '0' and <= '9' ? c - '0' : hex && c is >= 'a' and <= 'f' ? c - 'a' + 10 : hex && c is >= 'A' and <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0 || ++digits > (hex ? 16 : 18))
                return false;
            value = unchecked(value * (hex ? 16 : 10) + digit);
        }
        return digits > 0;
    }

    /// <summary>The values of one body that are buffer offsets.</summary>
    public sealed class Offsets
    {
        private readonly HashSet<ISymbol> _symbols = new(SymbolEqualityComparer.Default);
        private readonly HashSet<IOperation> _sinks = new(OperationIdentity.Instance);
        private readonly IOperation _body;
        private readonly FoliosTypes _types;

        public Offsets(IOperation body, FoliosTypes types)
        {
            _body = body;
            _types = types;
            var assignments = new List<(ISymbol Target, IOperation Value)>();
            foreach (var operation in OperationTrees.Of(body))
            {
                switch (operation)
                {
                    case IArgumentOperation argument when IsSink(argument, types):
                        _sinks.Add(argument);
                        AddReferences(argument.Value);
                        break;
                    case IVariableDeclaratorOperation { Initializer.Value: { } value } declarator:
                        assignments.Add((declarator.Symbol, value));
                        break;
                    case IAssignmentOperation { Target: ILocalReferenceOperation or IParameterReferenceOperation } assignment:
                        assignments.Add((Symbol(assignment.Target)!, assignment.Value));
                        break;
                }
            }
            // Values flow both ways through assignments: an offset's ingredients are offsets, and so is what an
            // offset is computed into, and a FolioIndex/OffsetInFolio result.
            for (bool changed = true; changed;)
            {
                changed = false;
                foreach (var (target, value) in assignments)
                {
                    if (_symbols.Contains(target))
                        changed |= AddReferences(value);
                    else if (Mentions(value))
                        changed |= _symbols.Add(target);
                }
            }
        }

        /// <summary>The arithmetic's result lands in an offset: a helper's argument or an offset variable.</summary>
        public bool Receives(IOperation arithmetic)
        {
            var current = arithmetic;
            for (var parent = current.Parent; parent is not null; current = parent, parent = parent.Parent)
            {
                switch (parent)
                {
                    case IBinaryOperation or IParenthesizedOperation or IConversionOperation or IUnaryOperation or ICompoundAssignmentOperation:
                        if (parent is ICompoundAssignmentOperation compound && Mentions(compound.Target))
                            return true;
                        continue;
                    case IArgumentOperation argument:
                        return _sinks.Contains(argument);
                    case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                        return _symbols.Contains(declarator.Symbol);
                    case ISimpleAssignmentOperation assignment when assignment.Value == current:
                        return Symbol(assignment.Target) is { } target && _symbols.Contains(target);
                    default:
                        return false;
                }
            }
            return false;
        }

        /// <summary>The operand is, or is computed from, a buffer offset.</summary>
        public bool Mentions(IOperation operand)
        {
            foreach (var node in Ingredients(operand, _types))
            {
                if (Symbol(node) is { } symbol && _symbols.Contains(symbol))
                    return true;
                if (node is IInvocationOperation { TargetMethod.Name: Names.ExtentBuffer.FolioIndex or Names.ExtentBuffer.OffsetInFolio })
                    return true;
            }
            return false;
        }

        /// <summary>
        /// The arithmetic splits an offset into a folio and an offset in it: its result flows, through arithmetic and
        /// locals, into GetFolio's index or an index or slice start over page memory. A named page size there can only
        /// be the page size: dividing by a sector size does not pick a folio.
        /// </summary>
        public bool SplitsIntoFolio(IOperation arithmetic) => SplitsIntoFolio(arithmetic, depth: 0);

        private bool SplitsIntoFolio(IOperation value, int depth)
        {
            var current = value;
            for (var parent = current.Parent; parent is not null && depth < 4; current = parent, parent = parent.Parent)
            {
                switch (parent)
                {
                    case IBinaryOperation binary when IsArithmetic(binary.OperatorKind):
                    case IParenthesizedOperation or IConversionOperation or IUnaryOperation:
                        continue;
                    case IArgumentOperation argument:
                        return _sinks.Contains(argument) && !IsHelperOffset(argument, _types);
                    case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                        return LocalSplits(declarator.Symbol, depth);
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when assignment.Value == current:
                        return LocalSplits(target.Local, depth);
                    default:
                        return false;
                }
            }
            return false;
        }

        private static bool IsArithmetic(BinaryOperatorKind kind) => kind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply
            or BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder or BinaryOperatorKind.And or BinaryOperatorKind.Or or BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift;

        private bool LocalSplits(ILocalSymbol local, int depth)
        {
            foreach (var node in OperationTrees.Of(_body))
            {
                if (node is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                    && !OperationShape.IsAssignedTo(reference) && SplitsIntoFolio(reference, depth + 1))
                    return true;
            }
            return false;
        }

        private bool AddReferences(IOperation value)
        {
            bool added = false;
            foreach (var node in Ingredients(value, _types))
            {
                if (Symbol(node) is { } symbol)
                    added |= _symbols.Add(symbol);
            }
            return added;
        }
    }

    /// <summary>
    /// What a value is computed from, for the flow of offsets: its operands, through arithmetic, conversions,
    /// conditionals and calls, but not into what reads memory (a helper's read, a decoder, an element of a span or
    /// array) nor into lambdas. A value read out of the buffer at an offset is data, not an offset: the mode of an
    /// inode read at <c>inode + 2</c> is not computed from <c>inode</c>.
    /// </summary>
    private static IEnumerable<IOperation> Ingredients(IOperation value, FoliosTypes types)
    {
        var pending = new Stack<IOperation>();
        pending.Push(value);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            yield return node;
            if (node is IAnonymousFunctionOperation or IArrayElementReferenceOperation or IImplicitIndexerReferenceOperation
                || node is IPropertyReferenceOperation { Property.IsIndexer: true }
                || node is IInvocationOperation call && ReadsMemory(call, types))
                continue;
            foreach (var child in node.ChildOperations)
                pending.Push(child);
        }
    }

    /// <summary>An ExtentBuffer method other than the offset splitters (FolioIndex, OffsetInFolio), or a decoder: its result is data.</summary>
    private static bool ReadsMemory(IInvocationOperation call, FoliosTypes types) =>
        SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, types.ExtentBuffer)
            ? call.TargetMethod.Name is not (Names.ExtentBuffer.FolioIndex or Names.ExtentBuffer.OffsetInFolio)
            : types.Framework.IsDecoder(call);

    /// <summary>An ExtentBuffer helper's byte offset, not a folio pick (GetFolio's index).</summary>
    private static bool IsHelperOffset(IArgumentOperation argument, FoliosTypes types) =>
        argument.Parent is IInvocationOperation { TargetMethod.Name: not Names.ExtentBuffer.GetFolio } call
        && SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, types.ExtentBuffer);

    /// <summary>A helper's offset parameter, GetFolio's index, or an index or slice start over page memory.</summary>
    private static bool IsSink(IArgumentOperation argument, FoliosTypes types)
    {
        if (argument.Parameter is not { } parameter)
            return false;
        if (SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol?.ContainingType, types.ExtentBuffer))
            return FoliosEntryPoints.IsOffsetParameter(parameter.Name);
        return argument.Parent switch
        {
            IPropertyReferenceOperation { Property.IsIndexer: true } indexer => PageMemory.IsPageMemory(indexer.Instance, types),
            IInvocationOperation { TargetMethod.Name: Names.Span.Slice } slice => PageMemory.IsPageMemory(slice.Instance, types),
            _ => false,
        };
    }

    private static ISymbol? Symbol(IOperation operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };

    private static IOperation Unwrap(IOperation operation) => OperationShape.Unwrap(operation)!;
}
