/// A value a client sent, as error messages show it: quoted, and cut to 40 characters so that
/// an answer or a log line stays small whatever was sent.
public func quotedValue(_ text: some StringProtocol) -> String {
    text.count > 40 ? "\"\(text.prefix(40))…\" (\(text.utf8.count) bytes)" : "\"\(text)\""
}
