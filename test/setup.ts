// Loaded before every test file: type-graphql needs the reflect-metadata polyfill before any decorator runs.
import 'reflect-metadata';
