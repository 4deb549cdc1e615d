export { detectLanguages, languageOf, mainLanguage, type LanguageShare } from "./languages.js";
export { detectFrameworks, type Framework } from "./frameworks.js";
