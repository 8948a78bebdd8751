/** zxcvbn-ts ships its common-password list as a module without its own declaration. */
declare module '@zxcvbn-ts/language-common/dist/passwords.json.mjs' {
  const passwords: string[];
  export default passwords;
}
